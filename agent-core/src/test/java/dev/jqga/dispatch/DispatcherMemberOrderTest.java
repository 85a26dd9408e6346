package dev.jqga.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.commands.SessionCommands;
import dev.jqga.log.Log;
import dev.jqga.protocol.JsonFramer;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.QdictOrder;
import dev.jqga.protocol.QmpJson;
import dev.jqga.server.ResponseWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher and binder look for bad members in insertion order and compute QEMU's QDict
 * order only when there is one: the error reported must still be the first bad member in QDict
 * order, however the request lists them.
 */
class DispatcherMemberOrderTest {
    private final Dispatcher dispatcher;

    DispatcherMemberOrderTest() {
        CommandRegistry registry = new CommandRegistry();
        Log log = new Log(new PrintStream(OutputStream.nullOutputStream()), false);
        new SessionCommands(registry, new ResponseWriter(new QmpJson(), log), "10.0.0").register();
        dispatcher = new Dispatcher(registry, (command, e) -> {
            throw e;
        });
    }

    private static JsonValue parse(String json) {
        List<JsonValue> messages = new ArrayList<>();
        JsonFramer framer = new JsonFramer(new JsonFramer.Listener() {
            @Override
            public void onMessage(JsonValue message) {
                messages.add(message);
            }

            @Override
            public void onError(String desc) {
                throw new AssertionError(desc);
            }
        });
        byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        framer.feed(b, 0, b.length);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private Dispatcher.Reply dispatch(String request) {
        return dispatcher.dispatch(parse(request));
    }

    private static String error(Dispatcher.Reply reply) {
        assertThat(reply).isInstanceOf(Dispatcher.Reply.Failure.class);
        return ((Dispatcher.Reply.Failure) reply).error().desc();
    }

    /** The first of {@code keys} in QDict order that {@code bad} names. */
    private static String firstInQdictOrder(List<String> keys, List<String> bad) {
        return QdictOrder.order(keys).stream().filter(bad::contains).findFirst().orElseThrow();
    }

    @Test
    void validRequestsTakeTheFastPath() {
        assertThat(dispatch("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":7},\"id\":\"x\"}"))
                .isEqualTo(new Dispatcher.Reply.Success(7L, parse("\"x\"")));
        assertThat(dispatch("{\"id\":1,\"arguments\":{\"id\":8},\"execute\":\"guest-sync\"}"))
                .isInstanceOf(Dispatcher.Reply.Success.class);
    }

    @Test
    void severalBadTopLevelMembersReportTheFirstInQdictOrder() {
        List<String> keys = List.of("zeta", "execute", "alpha", "arguments", "mid");
        String expected = firstInQdictOrder(keys, List.of("zeta", "execute", "alpha", "arguments", "mid"));
        String text = expected.equals("execute")
                ? "QMP input member 'execute' must be a string"
                : expected.equals("arguments")
                        ? "QMP input member 'arguments' must be an object"
                        : "QMP input member '" + expected + "' is unexpected";
        assertThat(error(dispatch("{\"zeta\":1,\"execute\":2,\"alpha\":3,\"arguments\":4,\"mid\":5}")))
                .isEqualTo(text);
        // the same members in the opposite order give the same error
        assertThat(error(dispatch("{\"mid\":5,\"arguments\":4,\"alpha\":3,\"execute\":2,\"zeta\":1}")))
                .isEqualTo(text);
    }

    @Test
    void severalUnexpectedArgumentsReportTheFirstInQdictOrder() {
        List<String> keys = List.of("id", "zz", "aa", "b");
        String expected = firstInQdictOrder(keys, List.of("zz", "aa", "b"));
        String want = "Parameter '" + expected + "' is unexpected";
        assertThat(error(dispatch("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"zz\":1,\"aa\":2,\"b\":3}}")))
                .isEqualTo(want);
        assertThat(error(dispatch("{\"execute\":\"guest-sync\",\"arguments\":{\"b\":3,\"aa\":2,\"zz\":1,\"id\":1}}")))
                .isEqualTo(want);
    }

    @Test
    void aMissingArgumentStillWinsOverAnUnexpectedOne() {
        assertThat(error(dispatch("{\"execute\":\"guest-sync\",\"arguments\":{\"x\":1}}")))
                .isEqualTo("Parameter 'id' is missing");
    }
}
