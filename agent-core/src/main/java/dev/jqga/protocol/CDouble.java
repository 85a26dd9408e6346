package dev.jqga.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats a double as C's {@code printf("%.17g")}, which is how QEMU writes JSON floats. */
public final class CDouble {
    private static final MathContext SIGNIFICANT_17 = new MathContext(17, RoundingMode.HALF_EVEN);

    private CDouble() {}

    public static String g17(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(SIGNIFICANT_17);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.toPlainString();
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return m + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return rounded.stripTrailingZeros().toPlainString();
    }
}
