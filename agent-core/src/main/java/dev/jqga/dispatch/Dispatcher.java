package dev.jqga.dispatch;

import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.JsonValue.JsonObject;
import dev.jqga.protocol.QdictOrder;
import dev.jqga.protocol.QgaException;
import dev.jqga.protocol.QgaException.ErrorClass;
import java.util.Map;

/**
 * Validates one request and runs its command, as QEMU's qmp_dispatch does for qemu-ga
 * (out-of-band disabled): object check, {@code id} taken first, members checked in QDict order,
 * unknown and disabled commands as CommandNotFound, then argument binding and the handler.
 */
public final class Dispatcher {

    /** What to send back for one request. */
    public sealed interface Reply {
        /** {@code {"return": value, "id": id}}; a null value is written as {@code {}}. */
        record Success(Object value, JsonValue id) implements Reply {}

        /** {@code {"error": {"class", "desc"}, "id": id}}. */
        record Failure(QgaException error, JsonValue id) implements Reply {}

        /** A success-response=false command succeeded: nothing at all is written. */
        record Silent() implements Reply {}
    }

    /** Sees each failure that was not a QgaException (a bug, or an OS surprise). */
    public interface Faults {
        void unexpected(String command, RuntimeException e);
    }

    private final CommandRegistry registry;
    private final ArgumentBinder binder = new ArgumentBinder();
    private final Faults faults;

    public Dispatcher(CommandRegistry registry, Faults faults) {
        this.registry = registry;
        this.faults = faults;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public Reply dispatch(JsonValue request) {
        if (!(request instanceof JsonObject dict)) {
            return new Reply.Failure(new QgaException("QMP input must be a JSON object"), null);
        }
        JsonValue id = dict.get("id");
        try {
            return run(dict, id);
        } catch (QgaException e) {
            return new Reply.Failure(e, id);
        }
    }

    private Reply run(JsonObject dict, JsonValue id) throws QgaException {
        for (Map.Entry<String, JsonValue> m : dict.members().entrySet()) {
            if (memberError(m.getKey(), m.getValue()) != null) {
                // QEMU reports the first bad member in its hash order; only then is it worth computing
                for (String member : QdictOrder.order(dict.members().keySet())) {
                    String error = memberError(member, dict.get(member));
                    if (error != null) {
                        throw new QgaException(error);
                    }
                }
            }
        }
        JsonValue execute = dict.get("execute");
        if (execute == null) {
            throw new QgaException("QMP input lacks member 'execute'");
        }
        String name = ((JsonString) execute).value();
        CommandRegistry.Command command = registry.find(name);
        if (command == null) {
            throw new QgaException(ErrorClass.CommandNotFound, "The command " + name + " has not been found");
        }
        if (!registry.enabled(command)) {
            throw new QgaException(
                    ErrorClass.CommandNotFound, "Command " + name + " has been disabled: the command is not allowed");
        }
        JsonValue arguments = dict.get("arguments");
        Object result = invoke(command, arguments == null ? JsonObject.EMPTY : (JsonObject) arguments);
        if (!command.successResponse()) {
            return new Reply.Silent();
        }
        return new Reply.Success(result, id);
    }

    /** What is wrong with one top-level member of a request, or null. */
    private static String memberError(String member, JsonValue v) {
        return switch (member) {
            case "execute" -> v instanceof JsonString ? null : "QMP input member 'execute' must be a string";
            case "arguments" -> v instanceof JsonObject ? null : "QMP input member 'arguments' must be an object";
            case "id" -> null;
            default -> "QMP input member '" + member + "' is unexpected";
        };
    }

    @SuppressWarnings("unchecked")
    private <A> Object invoke(CommandRegistry.Command command, JsonObject arguments) throws QgaException {
        A args = binder.bind((Class<A>) command.argsType(), arguments);
        try {
            return ((CommandHandler<A>) command.handler()).handle(args);
        } catch (RuntimeException e) {
            faults.unexpected(command.name(), e);
            throw new QgaException(command.name() + ": internal error: " + e);
        }
    }
}
