package dev.jqga.tests.vm;

/** A check's verdict "failed", with the reason printed on its line. */
final class CheckFailed extends Exception {
    CheckFailed(String reason) {
        super(reason);
    }
}
