package dev.jqga.protocol;

/**
 * The one error that reaches the wire: a QMP error class and the text qemu-ga would send. OS
 * errors are turned into it where they happen, with the errno text as qemu-ga words it.
 */
public class QgaException extends Exception {
    private final ErrorClass errorClass;

    public QgaException(ErrorClass errorClass, String desc) {
        super(desc, null, false, false);
        this.errorClass = errorClass;
    }

    public QgaException(String desc) {
        this(ErrorClass.GenericError, desc);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public String desc() {
        return getMessage();
    }

    /** The two classes qemu-ga ever sends. */
    public enum ErrorClass {
        GenericError,
        CommandNotFound
    }
}
