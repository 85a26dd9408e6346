package dev.jqga.tests.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Markdown table, one row per metric and one column per subject (jqga, qemu-ga, ...), printed
 * as results come in and at the end, so it can be pasted into a report as it is.
 */
public final class ResultTable {
    private final String title;
    private final List<String> columns;
    private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

    public ResultTable(String title, String... columns) {
        this.title = title;
        this.columns = List.of(columns);
    }

    public void put(String metric, String column, String value) {
        if (!columns.contains(column)) {
            throw new IllegalArgumentException("unknown column " + column);
        }
        rows.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(column, value);
        System.out.printf("  %-40s %-10s %s%n", metric, column, value);
    }

    public String render() {
        List<String> header = new ArrayList<>();
        header.add("metric");
        header.addAll(columns);
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
        }
        for (Map.Entry<String, Map<String, String>> r : rows.entrySet()) {
            width[0] = Math.max(width[0], r.getKey().length());
            for (int i = 0; i < columns.size(); i++) {
                width[i + 1] = Math.max(
                        width[i + 1],
                        r.getValue().getOrDefault(columns.get(i), "").length());
            }
        }
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        line(sb, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(sb, rule, width);
        for (Map.Entry<String, Map<String, String>> r : rows.entrySet()) {
            List<String> cells = new ArrayList<>();
            cells.add(r.getKey());
            for (String c : columns) {
                cells.add(r.getValue().getOrDefault(c, ""));
            }
            line(sb, cells, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            sb.append(' ')
                    .append(String.format("%-" + width[i] + "s", cells.get(i)))
                    .append(" |");
        }
        sb.append('\n');
    }

    /** Prints the table, and appends it to {@code file} when one is given. */
    public void print(PrintStream out, Path file) throws IOException {
        String text = render();
        out.println();
        out.println(text);
        if (file != null) {
            Files.writeString(
                    file,
                    text + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
