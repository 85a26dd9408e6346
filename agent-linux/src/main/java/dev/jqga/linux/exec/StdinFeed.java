package dev.jqga.linux.exec;

/** The input-data still to be written to a child's stdin pipe (the agent's non-blocking write end). */
final class StdinFeed {
    final int fd;
    final byte[] data;
    int written;

    StdinFeed(int fd, byte[] data) {
        this.fd = fd;
        this.data = data;
    }

    int remaining() {
        return data.length - written;
    }
}
