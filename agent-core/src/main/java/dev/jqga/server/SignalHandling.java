package dev.jqga.server;

import dev.jqga.log.Log;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask the loop to quit after the request in hand; while filesystems are
 * frozen they are ignored (qemu-ga refuses to die with the guest's disks frozen).
 */
final class SignalHandling {
    private SignalHandling() {}

    static void install(Runnable quit, BooleanSupplier frozen, Log log) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (frozen.getAsBoolean()) {
                        log.warn("SIG" + name + " ignored while filesystems are frozen");
                        return;
                    }
                    quit.run();
                });
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
    }
}
