package dev.jqga.tests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session as a host lives it over virtio-serial: the first sync after boot, guest-info,
 * pipelined requests, disconnects and reconnects, the agent idle with nobody connected.
 */
final class SessionChecks {
    /**
     * How long the agent may take to answer its first sync after QEMU starts (TCG, cold JVM,
     * busy machine): jqga.vm.first-sync-seconds.
     */
    static final Duration FIRST_SYNC_TIMEOUT =
            Duration.ofSeconds(Integer.getInteger("jqga.vm.first-sync-seconds", 120));

    private SessionChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("first-sync", SessionChecks::firstSync, "guest-sync-delimited"),
                Check.of("port-opened", SessionChecks::portOpened),
                Check.of("guest-info", SessionChecks::guestInfo, "guest-info"),
                Check.of("guest-ping", SessionChecks::ping, "guest-ping"),
                Check.of("guest-sync", SessionChecks::plainSync, "guest-sync"),
                Check.of("unknown-command", SessionChecks::unknownCommand),
                Check.of(
                        "pipelined",
                        SessionChecks::pipelined,
                        "guest-sync-delimited",
                        "guest-ping",
                        "guest-get-time",
                        "guest-info"),
                Check.of("guest-get-time", SessionChecks::getTime, "guest-get-time"),
                Check.of("reconnect", SessionChecks::reconnect, "guest-info", "guest-ping"),
                Check.of("reconnect-partial", SessionChecks::reconnectPartial, "guest-ping"));
    }

    static String firstSync(GuestSession s) throws Exception {
        int tries = s.port().syncUntilAnswered(FIRST_SYNC_TIMEOUT);
        double at = s.vm().secondsSinceStart(System.nanoTime());
        s.measure("first sync after QEMU start", String.format("%.1f s", at));
        return String.format("answered %.1f s after QEMU started, on try %d", at, tries);
    }

    /** QEMU's own view: the guest opened the agent's port (QMP VSERPORT_CHANGE). */
    static String portOpened(GuestSession s) throws CheckFailed {
        QmpMonitor.Event e = s.vm().qmp()
                .awaitEvent(
                        "VSERPORT_CHANGE",
                        d -> d.path("id").asText().equals("qgaport")
                                && d.path("open").asBoolean(),
                        Duration.ofSeconds(5))
                .orElseThrow(() -> new CheckFailed("QEMU reported no VSERPORT_CHANGE open=true for qgaport; events: "
                        + s.vm().qmp().events()));
        double at = s.vm().secondsSinceStart(e.receivedNanos());
        s.measure("port opened after QEMU start", String.format("%.1f s", at));
        return String.format("QMP VSERPORT_CHANGE: the guest opened the port %.1f s after QEMU started", at);
    }

    static String guestInfo(GuestSession s) throws Exception {
        JsonNode info = s.port().ok("guest-info");
        String version = info.path("version").asText();
        if (version.isBlank()) {
            throw new CheckFailed("no version: " + info);
        }
        s.setCommands(info);
        List<String> missing = s.missing(List.of("guest-sync-delimited", "guest-sync", "guest-ping", "guest-info"));
        if (!missing.isEmpty()) {
            throw new CheckFailed("session commands not enabled: " + missing);
        }
        int enabled = 0;
        for (JsonNode c : info.path("supported_commands")) {
            enabled += c.path("enabled").asBoolean() ? 1 : 0;
            if (c.path("name").asText().equals("guest-shutdown")
                    && c.path("success-response").asBoolean()) {
                throw new CheckFailed("guest-shutdown must say success-response false");
            }
        }
        return String.format(
                "version %s, %d commands, %d enabled",
                version, info.path("supported_commands").size(), enabled);
    }

    static String ping(GuestSession s) throws Exception {
        s.port().send(AgentPort.request("guest-ping", null, null) + "\n");
        return expectLine(s, "{\"return\": {}}");
    }

    static String plainSync(GuestSession s) throws Exception {
        long id = AgentPort.newId();
        s.port().send(AgentPort.request("guest-sync", Map.of("id", id), null) + "\n");
        return expectLine(s, "{\"return\": " + id + "}");
    }

    static String unknownCommand(GuestSession s) throws Exception {
        JsonNode r = s.port().call("guest-no-such-command", null);
        s.port().send(AgentPort.request("guest-no-such-command", null, "u1") + "\n");
        JsonNode withId = s.port().readReply();
        String want = "The command guest-no-such-command has not been found";
        for (JsonNode n : List.of(r, withId)) {
            if (!n.path("error").path("class").asText().equals("CommandNotFound")
                    || !n.path("error").path("desc").asText().equals(want)) {
                throw new CheckFailed("want CommandNotFound '" + want + "', got " + n);
            }
        }
        if (!withId.path("id").asText().equals("u1")) {
            throw new CheckFailed("the error reply lost the request id: " + withId);
        }
        return "CommandNotFound, qemu-ga's text, id echoed";
    }

    /**
     * Proxmox style: 0xFF + guest-sync-delimited and the commands in one write (two of them not
     * even separated by a newline); the replies come in order, each with its id.
     */
    static String pipelined(GuestSession s) throws Exception {
        long id = AgentPort.newId();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(AgentPort.syncRequest(id));
        b.writeBytes((AgentPort.request("guest-ping", null, "p1")
                        + AgentPort.request("guest-get-time", null, "t1") + "\n"
                        + AgentPort.request("guest-info", null, "i1") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        s.port().send(b.toByteArray());
        List<String> skipped = new ArrayList<>();
        if (!s.port().awaitSyncReply(id, System.nanoTime() + AgentPort.REPLY_TIMEOUT.toNanos(), skipped)) {
            throw new CheckFailed("no sync reply; got " + skipped);
        }
        for (String want : List.of("p1", "t1", "i1")) {
            JsonNode r = s.port().readReply();
            if (!r.has("return") || !r.path("id").asText().equals(want)) {
                throw new CheckFailed("expected the reply with id " + want + ", got " + abbreviate(r));
            }
        }
        return "sync + ping + get-time + info in one write: sync reply, then p1, t1, i1 in order (" + skipped.size()
                + " line(s) before the sync reply)";
    }

    /** The agent's clock against the probe's `date` and the host's clock. */
    static String getTime(GuestSession s) throws Exception {
        long agentNs = s.port().ok("guest-get-time").asLong();
        long hostMs = System.currentTimeMillis();
        long probeS = Long.parseLong(s.probe().run("date +%s").trim());
        double vsProbe = agentNs / 1e9 - probeS;
        double vsHost = agentNs / 1e9 - hostMs / 1e3;
        if (vsProbe > 1 || vsProbe < -5) {
            throw new CheckFailed(String.format("agent %d ns, but the guest's date says %d s", agentNs, probeS));
        }
        if (Math.abs(vsHost) > 10) {
            throw new CheckFailed(String.format("agent time is %.1f s off the host's", vsHost));
        }
        return String.format("%d ns: %+.1f s from the guest's date, %+.1f s from the host", agentNs, vsProbe, vsHost);
    }

    /**
     * A request, then the host goes away without reading the reply; the next connection must
     * sync (skipping the stale reply if it surfaces there) and carry on.
     */
    static String reconnect(GuestSession s) throws Exception {
        s.port().send(AgentPort.request("guest-info", null, "stale") + "\n");
        s.port().disconnect();
        GuestVm.sleep(500);
        s.port().connect();
        List<String> skipped = s.port().sync();
        boolean stale = skipped.stream().anyMatch(l -> l.contains("\"stale\""));
        ping(s);
        return "synced and pinged on the new connection; the stale guest-info reply "
                + (stale ? "surfaced there and was skipped" : "did not surface");
    }

    /** Half a request, then the host goes away: 0xFF on the next connection must reset the parser. */
    static String reconnectPartial(GuestSession s) throws Exception {
        s.port().send("{\"execute\": \"guest-ping\", \"arguments\": {\"a\": [1, ");
        s.port().disconnect();
        GuestVm.sleep(500);
        s.port().connect();
        List<String> skipped = s.port().sync();
        ping(s);
        return "0xFF reset the half request (" + skipped.size() + " line(s) skipped), ping answered";
    }

    static String expectLine(GuestSession s, String want) throws Exception {
        String got = s.port().readLine(AgentPort.REPLY_TIMEOUT);
        if (!got.equals(want)) {
            throw new CheckFailed("want " + want + ", got " + got);
        }
        return want;
    }

    static String abbreviate(Object o) {
        String t = String.valueOf(o);
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
