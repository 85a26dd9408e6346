package dev.jqga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link JsonFramer#betweenMessages()}: the agent loop trims the heap only at such a point. */
class JsonFramerBetweenMessagesTest {
    private final JsonFramer framer = new JsonFramer(new JsonFramer.Listener() {
        @Override
        public void onMessage(JsonValue message) {}

        @Override
        public void onError(String desc) {}
    });

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        framer.feed(b, 0, b.length);
    }

    @Test
    void onlyWhenNoPartialMessageIsHeld() {
        assertThat(framer.betweenMessages()).isTrue();
        feed("{\"execute\": \"guest-sync\", \"arguments\": {\"id\": 1");
        assertThat(framer.betweenMessages()).isFalse();
        feed("}}");
        assertThat(framer.betweenMessages()).isTrue();
        feed("{\"execute\": \"gue");
        assertThat(framer.betweenMessages()).isFalse(); // inside a string token
        feed("st-ping\"}\n");
        assertThat(framer.betweenMessages()).isTrue();
    }

    @Test
    void aTrailingNumberIsNotYetAMessage() {
        feed("12");
        assertThat(framer.betweenMessages()).isFalse(); // the number may go on
        feed(" ");
        assertThat(framer.betweenMessages()).isTrue();
    }
}
