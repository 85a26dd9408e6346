package dev.jqga.schema;

import dev.jqga.dispatch.ArgumentBinder;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.JsonValue.JsonNumber;
import dev.jqga.protocol.QgaException;

/**
 * The alternate {@code GuestFileWhence}: an integer (0 set, 1 cur, 2 end, kept for history) or a
 * {@link QGASeek} name. Exactly one of the two is set. As in QEMU's visitor, any JSON number takes
 * the integer branch (so {@code 1.5} is "expected: integer"), a string the enum branch, and
 * anything else is "expected: GuestFileWhence".
 */
public record GuestFileWhence(Long value, QGASeek name) {

    public static GuestFileWhence bind(JsonValue v, String name, String fullName) throws QgaException {
        if (v instanceof JsonNumber) {
            return new GuestFileWhence(ArgumentBinder.bindInt(v, fullName), null);
        }
        if (v instanceof JsonString) {
            return new GuestFileWhence(null, ArgumentBinder.bindEnum(QGASeek.class, v, name, fullName));
        }
        throw ArgumentBinder.invalidType(fullName, "GuestFileWhence");
    }

    /** The symbolic whence; integers outside 0..2 are qemu's "invalid whence code". */
    public QGASeek resolve() throws QgaException {
        if (name != null) {
            return name;
        }
        long code = value;
        if (code < 0 || code > 2) {
            throw new QgaException("invalid whence code " + code);
        }
        return QGASeek.values()[(int) code];
    }
}
