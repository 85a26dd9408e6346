package dev.jqga.dispatch;

import dev.jqga.protocol.QgaException;

/**
 * One command's implementation: takes its bound argument record, returns the result (a schema
 * record, list, number or string), or null for commands without a return value.
 */
@FunctionalInterface
public interface CommandHandler<A> {
    Object handle(A args) throws QgaException;
}
