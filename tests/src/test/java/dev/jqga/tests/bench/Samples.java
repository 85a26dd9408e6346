package dev.jqga.tests.bench;

import java.util.Arrays;

/** A set of measurements (latencies, rates, times) and the order statistics we report. */
public final class Samples {
    private double[] values = new double[16];
    private int count;

    public void add(double v) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = v;
    }

    public int count() {
        return count;
    }

    /** The p-th percentile (0..100), nearest-rank. */
    public double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    public double median() {
        return percentile(50);
    }

    public double min() {
        return percentile(0);
    }

    public double max() {
        return percentile(100);
    }

    /** "median (min..max)" with the given format for each number. */
    public String spread(String format) {
        return String.format(format, median()) + " (" + String.format(format, min()) + ".."
                + String.format(format, max()) + ")";
    }
}
