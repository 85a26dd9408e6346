package dev.jqga.tests.vm;

import java.util.List;

/**
 * One check of the real-guest suite: a name, the agent commands it needs (so a check whose
 * command the agent lists as disabled fails as "not implemented" instead of being skipped, and
 * anyone can see which checks wait for which command), and its body, which returns the detail
 * printed on its line or throws {@link CheckFailed}.
 */
record Check(String name, List<String> needs, Body body) {
    /** What a check does, against one booted guest. */
    @FunctionalInterface
    interface Body {
        String run(GuestSession s) throws Exception;
    }

    static Check of(String name, Body body, String... needs) {
        return new Check(name, List.of(needs), body);
    }
}
