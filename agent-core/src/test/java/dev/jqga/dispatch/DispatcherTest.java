package dev.jqga.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jqga.protocol.JsonFramer;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.QgaException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request validation, CommandNotFound, the disabled states and their reasons, argument binding. */
class DispatcherTest {
    /** guest-sync's arguments. */
    record SyncArgs(long id) {}

    /** A struct with an optional, a uint64, a list of structs and an enum, for the binder. */
    record Vcpu(long logicalId, boolean online) {}

    enum Mode {
        HALT,
        POWERDOWN,
        REBOOT
    }

    record Complex(
            @Opt Mode mode,
            @Uint64 long size,
            List<Vcpu> vcpus,
            @Opt String name) {}

    private final CommandRegistry registry = new CommandRegistry();
    private final Dispatcher dispatcher = new Dispatcher(registry, (c, e) -> {});

    DispatcherTest() {
        registry.register("guest-sync", SyncArgs.class, a -> a.id());
        registry.register("guest-ping", NoArgs.class, a -> null);
        registry.register("guest-shutdown", NoArgs.class, a -> null);
        registry.register("guest-set-vcpus", Complex.class, a -> a.vcpus().size());
    }

    private Dispatcher.Reply dispatch(String request) {
        JsonValue[] out = new JsonValue[1];
        new JsonFramer(new JsonFramer.Listener() {
                    @Override
                    public void onMessage(JsonValue message) {
                        out[0] = message;
                    }

                    @Override
                    public void onError(String desc) {
                        throw new AssertionError(desc);
                    }
                })
                .feed((request + " ").getBytes(StandardCharsets.UTF_8), 0, request.length() + 1);
        return dispatcher.dispatch(out[0]);
    }

    private String error(String request) {
        Dispatcher.Reply r = dispatch(request);
        assertThat(r).isInstanceOf(Dispatcher.Reply.Failure.class);
        QgaException e = ((Dispatcher.Reply.Failure) r).error();
        return e.errorClass() + ": " + e.desc();
    }

    @Test
    void validation() {
        assertThat(error("[]")).isEqualTo("GenericError: QMP input must be a JSON object");
        assertThat(error("{}")).isEqualTo("GenericError: QMP input lacks member 'execute'");
        assertThat(error("{\"execute\":1}")).isEqualTo("GenericError: QMP input member 'execute' must be a string");
        assertThat(error("{\"execute\":\"guest-ping\",\"arguments\":null}"))
                .isEqualTo("GenericError: QMP input member 'arguments' must be an object");
        assertThat(error("{\"exec-oob\":\"guest-ping\"}"))
                .isEqualTo("GenericError: QMP input member 'exec-oob' is unexpected");
    }

    @Test
    void unknownAndDisabledCommands() {
        assertThat(error("{\"execute\":\"nope\"}")).isEqualTo("CommandNotFound: The command nope has not been found");
        // known to the schema, not implemented here
        assertThat(error("{\"execute\":\"guest-get-disks\"}"))
                .isEqualTo("CommandNotFound: Command guest-get-disks has been disabled: the command is not allowed");
        assertThat(registry.disabledReason(registry.find("guest-get-disks")))
                .isEqualTo(CommandRegistry.Disabled.UNSUPPORTED);
        registry.setFilters(java.util.Set.of(), java.util.Set.of("guest-ping"));
        assertThat(error("{\"execute\":\"guest-ping\"}"))
                .isEqualTo("CommandNotFound: Command guest-ping has been disabled: the command is not allowed");
        assertThat(registry.disabledReason(registry.find("guest-ping"))).isEqualTo(CommandRegistry.Disabled.BLOCKED);
        registry.setFilters(java.util.Set.of("guest-sync"), java.util.Set.of());
        assertThat(registry.enabled(registry.find("guest-ping"))).isFalse();
        assertThat(registry.enabled(registry.find("guest-sync"))).isTrue();
        // frozen: the six stay allowed whatever the lists say (if implemented)
        registry.setFilters(java.util.Set.of(), java.util.Set.of("guest-ping"));
        registry.setFrozen(true);
        assertThat(registry.enabled(registry.find("guest-ping"))).isTrue();
        assertThat(registry.disabledReason(registry.find("guest-shutdown"))).isEqualTo(CommandRegistry.Disabled.FROZEN);
    }

    @Test
    void idIsEchoedAndSuccessResponseFalseSendsNothing() {
        Dispatcher.Reply r = dispatch("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":5},\"id\":\"x\"}");
        assertThat(r).isInstanceOf(Dispatcher.Reply.Success.class);
        assertThat(((Dispatcher.Reply.Success) r).value()).isEqualTo(5L);
        assertThat(dispatch("{\"execute\":\"guest-shutdown\",\"id\":1}")).isInstanceOf(Dispatcher.Reply.Silent.class);
        assertThat(((Dispatcher.Reply.Failure) dispatch("{\"execute\":\"nope\",\"id\":[1]}")).id())
                .isNotNull();
    }

    @Test
    void bindingErrorsInQemusWords() {
        assertThat(error("{\"execute\":\"guest-sync\"}")).endsWith("Parameter 'id' is missing");
        assertThat(error("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"1\"}}"))
                .endsWith("Invalid parameter type for 'id', expected: integer");
        assertThat(error("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"z\":0}}"))
                .endsWith("Parameter 'z' is unexpected");
        String set = "{\"execute\":\"guest-set-vcpus\",\"arguments\":";
        assertThat(error(set + "{\"size\":1,\"vcpus\":[{\"logical-id\":0}]}}"))
                .endsWith("Parameter 'vcpus[0].online' is missing");
        assertThat(error(set + "{\"size\":1,\"vcpus\":[5]}}"))
                .endsWith("Invalid parameter type for 'vcpus[0]', expected: object");
        assertThat(error(set + "{\"size\":\"x\",\"vcpus\":[]}}")).endsWith("Parameter 'size' expects uint64");
        assertThat(error(set + "{\"size\":1,\"vcpus\":{}}}"))
                .endsWith("Invalid parameter type for 'vcpus', expected: array");
        assertThat(error(set + "{\"mode\":\"bogus\",\"size\":1,\"vcpus\":[]}}"))
                .endsWith("Parameter 'mode' does not accept value 'bogus'");
        assertThat(error(set + "{\"size\":1,\"vcpus\":[{\"logical-id\":0,\"online\":true,\"x\":1}]}}"))
                .endsWith("Parameter 'vcpus[0].x' is unexpected");
        // a negative uint64 is accepted (it wraps, as qemu's visitor allows)
        assertThat(dispatch(set + "{\"size\":-1,\"vcpus\":[]}}")).isInstanceOf(Dispatcher.Reply.Success.class);
        // the first problem in schema order wins
        assertThat(error(set + "{\"mode\":1,\"size\":\"x\"}}"))
                .endsWith("Invalid parameter type for 'mode', expected: string");
    }
}
