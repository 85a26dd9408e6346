package dev.jqga.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subset of GLib's key-file format qemu-ga's files use: {@code [group]} headers,
 * {@code key=value} lines, {@code #} comments, blank lines, and GLib's value escapes
 * ({@code \s \n \t \r \\}). Anything else is an error, in GLib's words.
 */
public final class KeyFile {
    private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

    public static KeyFile parse(String text) throws ConfigException {
        KeyFile kf = new KeyFile();
        Map<String, String> group = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = stripLeading(line);
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                int close = l.indexOf(']');
                if (close < 0 || !l.substring(close + 1).isBlank()) {
                    throw new ConfigException("Key file contains line \u201C" + line
                            + "\u201D which is not a key-value pair, group, or comment");
                }
                group = kf.groups.computeIfAbsent(l.substring(1, close), g -> new LinkedHashMap<>());
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("Key file contains line \u201C" + line
                        + "\u201D which is not a key-value pair, group, or comment");
            }
            if (group == null) {
                throw new ConfigException("Key file does not start with a group");
            }
            String key = l.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new ConfigException("Key file contains line \u201C" + line
                        + "\u201D which is not a key-value pair, group, or comment");
            }
            group.put(key, unescape(stripLeading(l.substring(eq + 1)), lineNo));
        }
        return kf;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static String unescape(String v, int lineNo) throws ConfigException {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == v.length()) {
                throw new ConfigException("Key file contains escape character at end of line");
            }
            switch (v.charAt(i)) {
                case 's' -> sb.append(' ');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                default -> sb.append('\\').append(v.charAt(i)); // GLib keeps unknown escapes for string values
            }
        }
        return sb.toString();
    }

    /** Escapes a value so that {@link #parse} reads it back unchanged. */
    public static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case ' ' -> sb.append(i == 0 ? "\\s" : " ");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    public String get(String group, String key) {
        Map<String, String> g = groups.get(group);
        return g == null ? null : g.get(key);
    }

    /** GLib booleans: true/false/1/0 (surrounding blanks allowed). */
    public Boolean getBoolean(String group, String key) throws ConfigException {
        String v = get(group, key);
        if (v == null) {
            return null;
        }
        return switch (v.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default ->
                throw new ConfigException(
                        "Key file contains key \u201C" + key + "\u201D which has a value that cannot be interpreted.");
        };
    }
}
