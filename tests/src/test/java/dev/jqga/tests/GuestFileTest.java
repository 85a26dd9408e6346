package dev.jqga.tests;

import static dev.jqga.tests.AgentsByKind.error;
import static dev.jqga.tests.AgentsByKind.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jqga.tests.harness.AgentKind;
import dev.jqga.tests.harness.AgentProcess;
import dev.jqga.tests.harness.QgaClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * guest-file-open/close/read/write/seek/flush over the socket, against jqga and qemu-ga 7.2 (whose
 * file commands behave as 10.x's, apart from the member order of replies, which JSON parsing
 * hides). Where jqga differs on purpose the test says so and runs on jqga only.
 */
class GuestFileTest {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    @RegisterExtension
    static final AgentsByKind AGENTS = new AgentsByKind();

    // ---- the upstream test-qga scenarios (qga-behaviour.md section 5, items 11 and 12) ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void upstreamFileOps(AgentKind kind) throws Exception {
        byte[] hello = "Hello World!\n\0".getBytes(StandardCharsets.US_ASCII);
        String b64 = B64.encodeToString(hello);
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "foo", "w+");
            JsonNode w = ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"" + b64 + "\"}");
            assertThat(w.get("count").asLong()).isEqualTo(14);
            assertThat(w.get("eof").asBoolean()).isFalse();
            ok(c, "guest-file-flush", "{\"handle\": " + h + "}");
            ok(c, "guest-file-close", "{\"handle\": " + h + "}");
            assertThat(Files.readAllBytes(AGENTS.get(kind).dir().resolve("foo")))
                    .isEqualTo(hello);

            h = open(c, "foo", "r");
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 14, b64, true);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 0, "", true);
            JsonNode s = ok(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 6, \"whence\": \"set\"}");
            assertThat(s.get("position").asLong()).isEqualTo(6);
            assertThat(s.get("eof").asBoolean()).isFalse();
            byte[] tail = java.util.Arrays.copyOfRange(hello, 6, 14);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 8, B64.encodeToString(tail), true);
            ok(c, "guest-file-close", "{\"handle\": " + h + "}");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void upstreamFileWriteRead(AgentKind kind) throws Exception {
        String b64 = B64.encodeToString("Hello World!\n\0".getBytes(StandardCharsets.US_ASCII));
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "foo-wr", "w+");
            ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"" + b64 + "\"}");
            // read right after the write: stdio flushes, the position is at the end
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 0, "", true);
            JsonNode s = ok(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 0, \"whence\": \"set\"}");
            assertThat(s.get("position").asLong()).isZero();
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 14, b64, true);
            ok(c, "guest-file-close", "{\"handle\": " + h + "}");
        }
    }

    // ---- open: modes, creation, errors ----

    /**
     * Each mode on an existing file holding "12345" (or none): write "hi", go back to the start,
     * read everything; what the write and the read answer and what the file holds afterwards.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // mode, file existed, write result, read result, file afterwards
        "r,   true,  EBADF, 12345,   12345",
        "rb,  true,  EBADF, 12345,   12345",
        "r,   false, -,     -,       -",
        "r+,  true,  2,     hi345,   hi345",
        "rb+, true,  2,     hi345,   hi345",
        "r+b, false, -,     -,       -",
        "w,   true,  2,     EBADF,   hi",
        "wb,  false, 2,     EBADF,   hi",
        "w+,  true,  2,     hi,      hi",
        "wb+, false, 2,     hi,      hi",
        "w+b, true,  2,     hi,      hi",
        "a,   true,  2,     EBADF,   12345hi",
        "ab,  false, 2,     EBADF,   hi",
        "a+,  true,  2,     12345hi, 12345hi",
        "ab+, false, 2,     hi,      hi",
        "a+b, true,  2,     12345hi, 12345hi"
    })
    void everyModeHasFopenSemantics(String mode, boolean existed, String write, String read, String after)
            throws Exception {
        for (AgentKind kind : AgentKind.values()) {
            Path dir = AGENTS.get(kind).dir();
            String name = "mode-" + mode.replace('+', 'p') + "-" + existed;
            Path file = dir.resolve(name);
            Files.deleteIfExists(file);
            if (existed) {
                Files.writeString(file, "12345");
            }
            try (QgaClient c = AGENTS.connect(kind)) {
                if (write.equals("-")) {
                    assertThat(error(c, "guest-file-open", openArgs(name, mode)))
                            .as(kind.name())
                            .isEqualTo("failed to open file '" + name + "' (mode: '" + mode
                                    + "'): No such file or directory");
                    assertThat(file).doesNotExist();
                    continue;
                }
                long h = open(c, name, mode);
                String hi = B64.encodeToString("hi".getBytes(StandardCharsets.US_ASCII));
                String w = "{\"handle\": " + h + ", \"buf-b64\": \"" + hi + "\"}";
                if (write.equals("EBADF")) {
                    assertThat(error(c, "guest-file-write", w))
                            .as(kind.name())
                            .isEqualTo("failed to write to file: Bad file descriptor");
                } else {
                    assertThat(ok(c, "guest-file-write", w).get("count").asLong())
                            .isEqualTo(2);
                }
                ok(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 0, \"whence\": 0}");
                String r = "{\"handle\": " + h + "}";
                if (read.equals("EBADF")) {
                    assertThat(error(c, "guest-file-read", r))
                            .as(kind.name())
                            .isEqualTo("failed to read file: Bad file descriptor");
                } else {
                    assertThat(decode(ok(c, "guest-file-read", r)))
                            .as(kind.name())
                            .isEqualTo(read);
                }
                ok(c, "guest-file-close", "{\"handle\": " + h + "}");
                assertThat(Files.readString(file)).as(kind.name()).isEqualTo(after);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aCreatedFileGetsMode0666WhateverTheUmask(AgentKind kind) throws Exception {
        Path dir = AGENTS.get(kind).dir();
        try (QgaClient c = AGENTS.connect(kind)) {
            for (String mode : new String[] {"w", "a", "w+", "a+"}) {
                String name = "new-" + mode.replace('+', 'p');
                close(c, open(c, name, mode));
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                        .as(mode)
                        .isEqualTo("rw-rw-rw-");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void anExistingFileKeepsItsMode(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("private");
        Files.writeString(file, "secret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (QgaClient c = AGENTS.connect(kind)) {
            close(c, open(c, "private", "w"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.size(file)).isZero();
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void openErrorsUseQemuTexts(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            assertThat(error(c, "guest-file-open", openArgs("foo", "rw"))).isEqualTo("invalid file open mode 'rw'");
            assertThat(error(c, "guest-file-open", openArgs("foo", ""))).isEqualTo("invalid file open mode ''");
            assertThat(error(c, "guest-file-open", openArgs("/nonexistent/x", "r")))
                    .isEqualTo("failed to open file '/nonexistent/x' (mode: 'r'): No such file or directory");
            assertThat(error(c, "guest-file-open", openArgs("/nonexistent/x", "w")))
                    .isEqualTo("failed to open file '/nonexistent/x' (mode: 'w'): No such file or directory");
            assertThat(error(c, "guest-file-open", openArgs("", "r")))
                    .isEqualTo("failed to open file '' (mode: 'r'): No such file or directory");
            assertThat(error(c, "guest-file-open", openArgs("/tmp", "w")))
                    .isEqualTo("failed to open file '/tmp' (mode: 'w'): Is a directory");
            assertThat(error(c, "guest-file-open", "{\"path\": \"foo\", \"mode\": 1}"))
                    .isEqualTo("Invalid parameter type for 'mode', expected: string");
            assertThat(error(c, "guest-file-open", "{}")).isEqualTo("Parameter 'path' is missing");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aDirectoryOpensForReadingButCannotBeRead(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "/tmp", "r");
            assertThat(error(c, "guest-file-read", "{\"handle\": " + h + "}"))
                    .isEqualTo("failed to read file: Is a directory");
            close(c, h);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void theModeDefaultsToRead(AgentKind kind) throws Exception {
        Files.writeString(AGENTS.get(kind).dir().resolve("default-mode"), "abc");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = ok(c, "guest-file-open", "{\"path\": \"default-mode\"}").asLong();
            assertThat(decode(ok(c, "guest-file-read", "{\"handle\": " + h + "}")))
                    .isEqualTo("abc");
            assertThat(error(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"aGk=\"}"))
                    .isEqualTo("failed to write to file: Bad file descriptor");
            close(c, h);
        }
    }

    // ---- handles ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void handlesStartAt1000AreCommittedBeforeTheReplyAndSurviveRestarts(AgentKind kind, @TempDir Path state)
            throws Exception {
        try (AgentProcess agent = AgentProcess.start(kind, "-t", state.toString())) {
            Files.writeString(agent.dir().resolve("f"), "x");
            try (QgaClient c = agent.connect()) {
                long first = open(c, "f", "r");
                assertThat(first).isEqualTo(1000);
                assertThat(Files.readString(state.resolve("qga.state"))).isEqualTo("[global]\nfd_counter=1001\n");
                close(c, first);
                assertThat(open(c, "f", "r")).isEqualTo(1001);
                // a failed open takes no handle
                error(c, "guest-file-open", openArgs("missing", "r"));
                assertThat(open(c, "f", "r")).isEqualTo(1002);
                assertThat(error(c, "guest-file-read", "{\"handle\": 1000}"))
                        .isEqualTo("handle '1000' has not been found");
            }
            assertThat(agent.stop()).isZero();
        }
        try (AgentProcess agent = AgentProcess.start(kind, "-t", state.toString())) {
            Files.writeString(agent.dir().resolve("f"), "x");
            try (QgaClient c = agent.connect()) {
                assertThat(open(c, "f", "r")).isEqualTo(1003);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void anUnknownHandleIsReportedBeforeAnyOtherArgument(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            String unknown = "handle '999' has not been found";
            assertThat(error(c, "guest-file-close", "{\"handle\": 999}")).isEqualTo(unknown);
            assertThat(error(c, "guest-file-flush", "{\"handle\": 999}")).isEqualTo(unknown);
            assertThat(error(c, "guest-file-read", "{\"handle\": 999, \"count\": -5}"))
                    .isEqualTo(unknown);
            assertThat(error(c, "guest-file-write", "{\"handle\": 999, \"buf-b64\": \"$$\", \"count\": 9}"))
                    .isEqualTo(unknown);
            assertThat(error(c, "guest-file-seek", "{\"handle\": 999, \"offset\": 0, \"whence\": 7}"))
                    .isEqualTo(unknown);
            assertThat(error(c, "guest-file-read", "{\"handle\": \"x\"}"))
                    .isEqualTo("Invalid parameter type for 'handle', expected: integer");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aClosedHandleIsGoneForGood(AgentKind kind) throws Exception {
        Files.writeString(AGENTS.get(kind).dir().resolve("closing"), "x");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "closing", "r");
            close(c, h);
            assertThat(error(c, "guest-file-close", "{\"handle\": " + h + "}"))
                    .isEqualTo("handle '" + h + "' has not been found");
            assertThat(open(c, "closing", "r")).isGreaterThan(h);
        }
    }

    /** 1000 open/close cycles leave the agent with as many descriptors as before. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void openCloseCyclesLeakNoDescriptor(AgentKind kind) throws Exception {
        AgentProcess agent = AGENTS.get(kind);
        Files.writeString(agent.dir().resolve("cycle"), "x");
        try (QgaClient c = agent.connect()) {
            // Warm up both modes first: the JVM opens jars and the like when a path runs the first time.
            for (int i = 0; i < 50; i++) {
                close(c, open(c, "cycle", i % 2 == 0 ? "r" : "a+"));
            }
            long before = fdCount(agent);
            for (int i = 0; i < 1000; i++) {
                close(c, open(c, "cycle", i % 2 == 0 ? "r" : "a+"));
            }
            assertThat(fdCount(agent)).isEqualTo(before);
        }
    }

    // ---- read ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void readCountDefaultsTo4096AndAllows0To48MiB(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("tenk");
        Files.write(file, new byte[10_000]);
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "tenk", "r");
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 4096, null, false);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 0}"), 0, "", false);
            assertThat(error(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": -1}"))
                    .isEqualTo("value '-1' is invalid for argument count");
            assertThat(error(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 50331649}"))
                    .isEqualTo("value '50331649' is invalid for argument count");
            // 48 MiB exactly is allowed; the file has 5904 bytes left
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 50331648}"), 5904, null, true);
            assertThat(error(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 1.5}"))
                    .isEqualTo("Invalid parameter type for 'count', expected: integer");
            close(c, h);
        }
    }

    /** Reading exactly what is left is not yet end of file; the next read is (and stays so). */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void eofIsSetOnlyByTheReadThatMeetsTheEnd(AgentKind kind) throws Exception {
        Files.writeString(AGENTS.get(kind).dir().resolve("exact"), "0123456789");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "exact", "r");
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 10}"), 10, null, false);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 10}"), 0, "", true);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 10}"), 0, "", true);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 0}"), 0, "", false);
            ok(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 4, \"whence\": \"set\"}");
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 7}"), 6, "NDU2Nzg5", true);
            close(c, h);
        }
    }

    /** /proc files say they are empty; their content is read all the same. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void aProcFileIsReadWhole(AgentKind kind) throws Exception {
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "/proc/self/status", "r");
            String status = decode(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 65536}"));
            assertThat(status)
                    .startsWith("Name:\t")
                    .contains("\nPid:\t" + AGENTS.get(kind).pid() + "\n");
            close(c, h);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void anEmptyFifoAnswersEagain(AgentKind kind) throws Exception {
        Path fifo = AGENTS.get(kind).dir().resolve("fifo-empty");
        mkfifo(fifo);
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "fifo-empty", "r"); // non-blocking: no writer needed
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 0, "", true);
            assertThat(error(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 0, \"whence\": \"cur\"}"))
                    .isEqualTo("failed to seek file: Illegal seek");
            long w = open(c, "fifo-empty", "w");
            assertThat(error(c, "guest-file-read", "{\"handle\": " + h + "}"))
                    .isEqualTo("failed to read file: Resource temporarily unavailable");
            close(c, w);
            close(c, h);
        }
    }

    /**
     * Deliberate difference: qemu-ga's fread gets the bytes, then EAGAIN, and answers an error (the
     * bytes are lost); jqga returns what it got.
     */
    @ParameterizedTest
    @EnumSource(value = AgentKind.class, names = "JQGA")
    void aFifoReadReturnsWhatItGotBeforeEagain(AgentKind kind) throws Exception {
        mkfifo(AGENTS.get(kind).dir().resolve("fifo-data"));
        try (QgaClient c = AGENTS.connect(kind)) {
            long r = open(c, "fifo-data", "r");
            long w = open(c, "fifo-data", "w");
            ok(c, "guest-file-write", "{\"handle\": " + w + ", \"buf-b64\": \"aGk=\"}");
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + r + "}"), 2, "aGk=", false);
            close(c, w);
            close(c, r);
        }
    }

    // ---- write ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void writeCountIsOptionalAndAtMostTheDecodedLength(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("counted");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "counted", "w");
            String hello = "\"buf-b64\": \"aGVsbG8=\""; // "hello"
            assertThat(written(c, h, hello + ", \"count\": 2")).isEqualTo(2);
            assertThat(written(c, h, hello + ", \"count\": 0")).isZero();
            assertThat(error(c, "guest-file-write", "{\"handle\": " + h + ", " + hello + ", \"count\": 6}"))
                    .isEqualTo("value '6' is invalid for argument count");
            assertThat(error(c, "guest-file-write", "{\"handle\": " + h + ", " + hello + ", \"count\": -1}"))
                    .isEqualTo("value '-1' is invalid for argument count");
            assertThat(written(c, h, hello)).isEqualTo(5);
            assertThat(written(c, h, "\"buf-b64\": \"\"")).isZero();
            close(c, h);
        }
        assertThat(Files.readString(file)).isEqualTo("hehello");
    }

    /** GLib's lenient decoding: newlines skipped, '=' mid-string, a trailing partial group dropped. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void writeDecodesBase64AsQemuGa(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("lenient");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "lenient", "w");
            for (String s : new String[] {"aGVsbG8=aGk=", "YW\\nJj", "ab=c", "QUJ", "QR=="}) {
                ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"" + s + "\"}");
            }
            assertThat(error(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"aGV$sbG8=\"}"))
                    .isEqualTo("Base64 data contains invalid characters");
            assertThat(error(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"aGk= \"}"))
                    .isEqualTo("Base64 data contains invalid characters");
            close(c, h);
        }
        byte[] expected = {'h', 'e', 'l', 'l', 'o', 'h', 'i', 'a', 'b', 'c', 0x69, 0x1c, 0x41};
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    /** Between a read and a write on one handle, stdio's rules: the write goes where the read stopped. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void mixedReadsAndWritesOnOneHandle(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("mixed");
        Files.writeString(file, "abcdefgh");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "mixed", "r+");
            assertThat(decode(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 2}")))
                    .isEqualTo("ab");
            ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"WFk=\"}"); // "XY" at 2
            assertThat(decode(ok(c, "guest-file-read", "{\"handle\": " + h + ", \"count\": 2}")))
                    .isEqualTo("ef");
            JsonNode pos = ok(c, "guest-file-seek", "{\"handle\": " + h + ", \"offset\": 0, \"whence\": \"cur\"}");
            assertThat(pos.get("position").asLong()).isEqualTo(6);
            close(c, h);
        }
        assertThat(Files.readString(file)).isEqualTo("abXYefgh");
    }

    // ---- seek, flush ----

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void seekTakesNumericAndSymbolicWhenceAndMayGoPastTheEnd(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("seeking");
        Files.writeString(file, "0123456789");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "seeking", "r+");
            assertThat(seek(c, h, "3", "0")).isEqualTo(3);
            assertThat(seek(c, h, "2", "1")).isEqualTo(5);
            assertThat(seek(c, h, "-1", "2")).isEqualTo(9);
            assertThat(seek(c, h, "1", "\"set\"")).isEqualTo(1);
            assertThat(seek(c, h, "1", "\"cur\"")).isEqualTo(2);
            assertThat(seek(c, h, "0", "\"end\"")).isEqualTo(10);
            // past the end: allowed; reading there is end of file, writing leaves a hole
            assertThat(seek(c, h, "100", "\"end\"")).isEqualTo(110);
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 0, "", true);
            ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"eg==\"}");
            close(c, h);
        }
        assertThat(Files.size(file)).isEqualTo(111);
        assertThat(Files.readAllBytes(file)[50]).isZero();
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void seekErrorsUseQemuTexts(AgentKind kind) throws Exception {
        Files.writeString(AGENTS.get(kind).dir().resolve("seekerr"), "x");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "seekerr", "r");
            String base = "{\"handle\": " + h + ", ";
            assertThat(error(c, "guest-file-seek", base + "\"offset\": -1, \"whence\": \"set\"}"))
                    .isEqualTo("failed to seek file: Invalid argument");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0, \"whence\": 3}"))
                    .isEqualTo("invalid whence code 3");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0, \"whence\": -1}"))
                    .isEqualTo("invalid whence code -1");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0, \"whence\": \"bogus\"}"))
                    .isEqualTo("Parameter 'whence' does not accept value 'bogus'");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0, \"whence\": 1.5}"))
                    .isEqualTo("Invalid parameter type for 'whence', expected: integer");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0, \"whence\": true}"))
                    .isEqualTo("Invalid parameter type for 'whence', expected: GuestFileWhence");
            assertThat(error(c, "guest-file-seek", base + "\"whence\": 0}")).isEqualTo("Parameter 'offset' is missing");
            assertThat(error(c, "guest-file-seek", base + "\"offset\": 0}")).isEqualTo("Parameter 'whence' is missing");
            close(c, h);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void flushMakesWrittenDataVisible(AgentKind kind) throws Exception {
        Path file = AGENTS.get(kind).dir().resolve("flushed");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "flushed", "w");
            ok(c, "guest-file-write", "{\"handle\": " + h + ", \"buf-b64\": \"aGk=\"}");
            assertThat(ok(c, "guest-file-flush", "{\"handle\": " + h + "}")).isEmpty();
            assertThat(Files.readString(file)).isEqualTo("hi");
            close(c, h);
        }
    }

    // ---- large payloads ----

    /** 48 MiB written in three requests and read back in one, compared by SHA-256. */
    @ParameterizedTest
    @EnumSource(AgentKind.class)
    void a48MiBRoundTripKeepsEveryByte(AgentKind kind) throws Exception {
        byte[] data = new byte[48 << 20];
        new Random(48).nextBytes(data);
        Path file = AGENTS.get(kind).dir().resolve("big");
        try (QgaClient c = AGENTS.connect(kind)) {
            long h = open(c, "big", "w+");
            int chunk = 16 << 20;
            for (int off = 0; off < data.length; off += chunk) {
                String b64 = B64.encodeToString(java.util.Arrays.copyOfRange(data, off, off + chunk));
                c.send("{\"execute\": \"guest-file-write\", \"arguments\": {\"handle\": " + h + ", \"buf-b64\": \""
                        + b64 + "\"}}");
                JsonNode w = QgaClient.JSON.readTree(c.readLine());
                assertThat(w.path("return").path("count").asLong()).isEqualTo(chunk);
            }
            assertThat(seek(c, h, "0", "\"set\"")).isZero();
            c.send("{\"execute\": \"guest-file-read\", \"arguments\": {\"handle\": " + h + ", \"count\": " + data.length
                    + "}}");
            JsonNode r = QgaClient.JSON.readTree(c.readLine()).get("return");
            assertThat(r.get("count").asLong()).isEqualTo(data.length);
            assertThat(r.get("eof").asBoolean()).isFalse();
            byte[] back = Base64.getDecoder().decode(r.get("buf-b64").asText());
            assertThat(sha256(back)).isEqualTo(sha256(data));
            assertRead(ok(c, "guest-file-read", "{\"handle\": " + h + "}"), 0, "", true);
            close(c, h);
        }
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(data));
        Files.delete(file);
    }

    // ---- helpers ----

    private static String openArgs(String path, String mode) {
        return "{\"path\": \"" + path + "\", \"mode\": \"" + mode + "\"}";
    }

    static long open(QgaClient c, String path, String mode) throws IOException {
        return ok(c, "guest-file-open", openArgs(path, mode)).asLong();
    }

    private static void close(QgaClient c, long h) throws IOException {
        assertThat(ok(c, "guest-file-close", "{\"handle\": " + h + "}")).isEmpty();
    }

    /** guest-file-write with the given members besides the handle; the count written. */
    private static long written(QgaClient c, long h, String members) throws IOException {
        JsonNode w = ok(c, "guest-file-write", "{\"handle\": " + h + ", " + members + "}");
        assertThat(w.get("eof").asBoolean()).isFalse();
        return w.get("count").asLong();
    }

    private static long seek(QgaClient c, long h, String offset, String whence) throws IOException {
        JsonNode s = ok(
                c,
                "guest-file-seek",
                "{\"handle\": " + h + ", \"offset\": " + offset + ", \"whence\": " + whence + "}");
        assertThat(s.get("eof").asBoolean()).isFalse();
        return s.get("position").asLong();
    }

    /** Checks a read result; {@code b64} null means any data of that count. */
    private static void assertRead(JsonNode r, long count, String b64, boolean eof) {
        assertThat(r.get("count").asLong()).as("count of %s", r).isEqualTo(count);
        if (b64 != null) {
            assertThat(r.get("buf-b64").asText()).isEqualTo(b64);
        }
        assertThat(Base64.getDecoder().decode(r.get("buf-b64").asText())).hasSize((int) count);
        assertThat(r.get("eof").asBoolean()).as("eof of %s", r).isEqualTo(eof);
    }

    private static String decode(JsonNode read) {
        return new String(Base64.getDecoder().decode(read.get("buf-b64").asText()), StandardCharsets.ISO_8859_1);
    }

    private static long fdCount(AgentProcess agent) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + agent.pid() + "/fd"))) {
            return s.count();
        }
    }

    private static void mkfifo(Path p) throws IOException, InterruptedException {
        Files.deleteIfExists(p);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
