package dev.jqga.dispatch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jqga.protocol.Base64Data;
import dev.jqga.protocol.JsonString;
import dev.jqga.protocol.JsonValue;
import dev.jqga.protocol.JsonValue.JsonArray;
import dev.jqga.protocol.JsonValue.JsonBool;
import dev.jqga.protocol.JsonValue.JsonNumber;
import dev.jqga.protocol.JsonValue.JsonObject;
import dev.jqga.protocol.QdictOrder;
import dev.jqga.protocol.QgaException;
import dev.jqga.protocol.QmpJson;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a request's {@code arguments} object into the command's argument record, the way QEMU's
 * QObject input visitor does: members in schema (record component) order, the first problem
 * wins, unexpected members only after all declared ones bound, nested names as
 * {@code vcpus[0].online}, and qemu's exact texts.
 *
 * <p>Supported member types: {@code long} (int64, or uint64 with {@link Uint64}), {@code String},
 * {@code boolean}, {@code double}, {@link Base64Data}, {@link JsonValue} (any), enums (QAPI value
 * = constant name in lower case, '-' for '_'), {@code List<T>}, nested records, and alternates: a
 * type with a static {@code bind(JsonValue, String name, String fullName)} method.
 */
public final class ArgumentBinder {

    private record Member(String wireName, Type type, boolean optional, boolean uint64) {}

    private record Shape(Constructor<?> constructor, List<Member> members) {
        boolean has(String wire) {
            for (Member m : members) {
                if (m.wireName.equals(wire)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <A> A bind(Class<A> type, JsonObject arguments) throws QgaException {
        return (A) bindStruct(type, arguments, null);
    }

    public static QgaException missing(String fullName) {
        return new QgaException("Parameter '" + fullName + "' is missing");
    }

    public static QgaException invalidType(String fullName, String expected) {
        return new QgaException("Invalid parameter type for '" + fullName + "', expected: " + expected);
    }

    public static QgaException badEnumValue(String name, String value) {
        return new QgaException(
                "Parameter '" + (name == null ? "null" : name) + "' does not accept value '" + value + "'");
    }

    /** Binds a QAPI enum from a string value; used by alternates too. */
    public static <E extends Enum<E>> E bindEnum(Class<E> type, JsonValue v, String name, String fullName)
            throws QgaException {
        if (!(v instanceof JsonString s)) {
            throw invalidType(fullName, "string");
        }
        for (E e : type.getEnumConstants()) {
            if (QmpJson.wireName(e).equals(s.value())) {
                return e;
            }
        }
        throw badEnumValue(name, s.value());
    }

    /** Binds an int64 value. */
    public static long bindInt(JsonValue v, String fullName) throws QgaException {
        if (v instanceof JsonNumber n && n.fitsInt64()) {
            return n.bits();
        }
        throw invalidType(fullName, "integer");
    }

    private Object bindStruct(Class<?> type, JsonObject obj, String path) throws QgaException {
        Shape shape = shapes.computeIfAbsent(type, ArgumentBinder::shapeOf);
        Object[] values = new Object[shape.members.size()];
        int present = 0;
        for (int i = 0; i < values.length; i++) {
            Member m = shape.members.get(i);
            String full = path == null ? m.wireName : path + "." + m.wireName;
            JsonValue v = obj.get(m.wireName);
            if (v == null) {
                if (!m.optional) {
                    throw missing(full);
                }
                continue;
            }
            present++;
            values[i] = bindValue(m.type, v, m.wireName, full, m.uint64);
        }
        if (present != obj.members().size()) { // some member is unexpected: find QEMU's first
            for (String key : QdictOrder.order(obj.members().keySet())) {
                if (!shape.has(key)) {
                    throw new QgaException("Parameter '" + (path == null ? key : path + "." + key) + "' is unexpected");
                }
            }
        }
        try {
            return shape.constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object bindValue(Type type, JsonValue v, String name, String full, boolean uint64) throws QgaException {
        Class<?> raw = rawClass(type);
        if (raw == long.class || raw == Long.class) {
            if (!uint64) {
                return bindInt(v, full);
            }
            if (v instanceof JsonNumber n && (n.fitsUint64() || n.fitsInt64())) {
                return n.bits();
            }
            throw new QgaException("Parameter '" + full + "' expects uint64");
        }
        if (raw == String.class) {
            if (v instanceof JsonString s) {
                return s.value();
            }
            throw invalidType(full, "string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (v instanceof JsonBool b) {
                return b.value();
            }
            throw invalidType(full, "boolean");
        }
        if (raw == double.class || raw == Double.class) {
            if (v instanceof JsonNumber n) {
                return n.kind() == JsonNumber.Kind.U64
                        ? Double.parseDouble(Long.toUnsignedString(n.bits()))
                        : n.kind() == JsonNumber.Kind.I64 ? (double) n.bits() : n.dbl();
            }
            throw invalidType(full, "number");
        }
        if (raw == Base64Data.class) {
            if (v instanceof JsonString s) {
                return new Base64Data(s);
            }
            throw invalidType(full, "string");
        }
        if (raw == JsonValue.class) {
            return v;
        }
        if (raw == List.class) {
            if (!(v instanceof JsonArray a)) {
                throw invalidType(full, "array");
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>(a.elements().size());
            int i = 0;
            for (JsonValue e : a.elements()) {
                out.add(bindValue(element, e, null, full + "[" + i++ + "]", false));
            }
            return List.copyOf(out);
        }
        if (raw.isEnum()) {
            return bindEnum((Class) raw, v, name, full);
        }
        Method alternate = alternateBinder(raw);
        if (alternate != null) {
            try {
                return alternate.invoke(null, v, name, full);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof QgaException q) {
                    throw q;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        if (raw.isRecord()) {
            if (v instanceof JsonObject o) {
                return bindStruct(raw, o, full);
            }
            throw invalidType(full, "object");
        }
        throw new IllegalStateException("unsupported argument type " + type);
    }

    private static Method alternateBinder(Class<?> raw) {
        try {
            Method m = raw.getMethod("bind", JsonValue.class, String.class, String.class);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported type " + t);
    }

    private static Shape shapeOf(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        RecordComponent[] rc = type.getRecordComponents();
        List<Member> members = new ArrayList<>(rc.length);
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
            JsonProperty named = rc[i].getAccessor().getAnnotation(JsonProperty.class);
            String wire = named != null ? named.value() : kebab(rc[i].getName());
            boolean optional = rc[i].isAnnotationPresent(Opt.class);
            if (optional && rc[i].getType().isPrimitive()) {
                throw new IllegalArgumentException(type + "." + rc[i].getName() + ": optional must be boxed");
            }
            members.add(new Member(wire, rc[i].getGenericType(), optional, rc[i].isAnnotationPresent(Uint64.class)));
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return new Shape(c, List.copyOf(members));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code bufB64} to {@code buf-b64}, as Jackson's KEBAB_CASE names the same records on output. */
    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
