package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The keep-or-drop rule for a reply's payload array, request by request. */
class PayloadBufferTest {
    private static final int MIB = 1 << 20;

    @Test
    void smallArraysAreNeverKept() {
        PayloadBuffer p = new PayloadBuffer();
        byte[] a = p.borrow(4096);
        p.replyWritten();
        assertThat(p.holdsLarge()).isFalse();
        assertThat(p.borrow(4096)).isNotSameAs(a);
    }

    @Test
    void aRunOfLargeReadsReusesOneArrayUntilARequestAsksForLittle() {
        PayloadBuffer p = new PayloadBuffer();
        byte[] first = p.borrow(4 * MIB);
        p.replyWritten();
        assertThat(p.holdsLarge()).isTrue();
        assertThat(p.borrow(4 * MIB)).isSameAs(first);
        p.replyWritten();
        assertThat(p.borrow(2 * MIB)).isSameAs(first); // the tail of a file: half of it, still kept
        p.replyWritten();
        assertThat(p.holdsLarge()).isTrue();
        p.borrow(MIB - 1); // under a quarter: dropped once that reply is out
        p.replyWritten();
        assertThat(p.holdsLarge()).isFalse();
    }

    @Test
    void aReplyWithoutPayloadDropsTheKeptArray() {
        PayloadBuffer p = new PayloadBuffer();
        p.borrow(16 * MIB);
        p.replyWritten();
        p.replyWritten(); // guest-file-close, guest-ping, ...
        assertThat(p.holdsLarge()).isFalse();
    }

    @Test
    void growingKeepsTheBytesReadSoFar() {
        PayloadBuffer p = new PayloadBuffer();
        byte[] b = p.borrow(64 * 1024);
        b[0] = 1;
        b[65535] = 2;
        byte[] g = p.grow(b, 65536, 2 * MIB);
        assertThat(g).hasSizeGreaterThanOrEqualTo(2 * MIB);
        assertThat(g[0]).isEqualTo((byte) 1);
        assertThat(g[65535]).isEqualTo((byte) 2);
        assertThat(p.grow(g, 2 * MIB, 2 * MIB)).isSameAs(g);
        p.replyWritten();
        assertThat(p.holdsLarge()).isTrue();
    }
}
