package dev.jqga.linux.transport;

import java.io.IOException;

/**
 * A {@code -m vsock-listen} address, {@code <cid>:<port>}, read as qemu-ga reads it: at most 32
 * characters each side, the port ending at a comma (anything after it is "trailing"), both
 * unsigned 32-bit decimal numbers ({@code VMADDR_CID_ANY} is written {@code 4294967295}), with
 * strtoul's leading blanks and {@code +} allowed and a minus sign refused. Errors in qemu's words.
 *
 * @param cid the context id, as an unsigned 32-bit value
 * @param port the port, as an unsigned 32-bit value
 */
public record VsockAddress(int cid, int port) {
    public static final long CID_ANY = 0xFFFFFFFFL;

    public static VsockAddress parse(String s) throws IOException {
        int colon = s.indexOf(':');
        if (colon < 1 || colon > 32) {
            throw new IOException("error parsing address '" + s + "'");
        }
        String cid = s.substring(0, colon);
        int portEnd = colon + 1;
        while (portEnd < s.length() && s.charAt(portEnd) != ',' && portEnd - colon - 1 < 32) {
            portEnd++;
        }
        String port = s.substring(colon + 1, portEnd);
        if (port.isEmpty()) {
            throw new IOException("error parsing address '" + s + "'");
        }
        if (portEnd != s.length()) {
            throw new IOException("trailing characters in address '" + s + "'");
        }
        return new VsockAddress(unsigned32(cid, "cid"), unsigned32(port, "port"));
    }

    /** strtoul-style: leading blanks and one '+' allowed, no '-', nothing after the digits. */
    private static int unsigned32(String text, String what) throws IOException {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '+') {
            i++;
        }
        String digits = text.substring(i);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 10) {
            throw new IOException("Failed to parse " + what + " '" + text + "'");
        }
        long v = Long.parseLong(digits);
        if (v > 0xFFFFFFFFL) {
            throw new IOException("Failed to parse " + what + " '" + text + "'");
        }
        return (int) v;
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(cid) + ":" + Integer.toUnsignedString(port);
    }
}
