package dev.jqga.dispatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code long} member that QAPI declares {@code uint64}: negative integers are accepted
 * and wrap (as qemu-ga does for backward compatibility), and a bad value reads "expects uint64".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Uint64 {}
