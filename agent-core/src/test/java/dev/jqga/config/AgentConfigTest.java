package dev.jqga.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KeyFile parsing, the config keys, the command line over them, and the --dump-conf round trip. */
class AgentConfigTest {
    @TempDir
    Path dir;

    private static AgentConfig fromCommandLine(String... args) throws ConfigException {
        AgentConfig c = new AgentConfig();
        CommandLineOptions.parse(args).applyTo(c);
        c.applyDefaults();
        return c;
    }

    private static AgentConfig read(String text) throws ConfigException {
        AgentConfig c = new AgentConfig();
        c.apply(KeyFile.parse(text));
        c.applyDefaults();
        return c;
    }

    @Test
    void everyKeyOfTheGeneralGroup() throws ConfigException {
        AgentConfig c = read("# comment\n[other]\nmethod=ignored\n[general]\n daemon = true\nmethod=unix-listen\n"
                + "path=/p\\sq\nlogfile=/l\npidfile=/pid\nfsfreeze-hook=/h\nstatedir=/s\nverbose=1\nretry-path=true\n"
                + "block-rpcs=a,b;c\nallow-rpcs=d\n");
        assertThat(c.daemon).isTrue();
        assertThat(c.method).isEqualTo("unix-listen");
        assertThat(c.path).isEqualTo("/p q");
        assertThat(c.logfile).isEqualTo("/l");
        assertThat(c.pidfile).isEqualTo("/pid");
        assertThat(c.fsfreezeHook).isEqualTo("/h");
        assertThat(c.statedir).isEqualTo("/s");
        assertThat(c.verbose).isTrue();
        assertThat(c.retryPath).isTrue();
        assertThat(c.blockRpcs).containsExactly("a", "b", "c");
        assertThat(c.allowRpcs).containsExactly("d");
    }

    @Test
    void glibErrorTexts() {
        assertThatThrownBy(() -> read("[general]\ndaemon=maybe\n"))
                .hasMessage("Key file contains key \u201Cdaemon\u201D which has a value that cannot be interpreted.");
        assertThatThrownBy(() -> read("key=1\n")).hasMessage("Key file does not start with a group");
        assertThatThrownBy(() -> read("[general\n"))
                .hasMessage(
                        "Key file contains line \u201C[general\u201D which is not a key-value pair, group, or comment");
    }

    @Test
    void fileThenCommandLine() throws Exception {
        Path f = dir.resolve("qga.conf");
        Files.writeString(f, "[general]\nmethod=unix-listen\npath=/file\nblock-rpcs=x\nverbose=true\n");
        AgentConfig c = new AgentConfig();
        c.load(f, true);
        CommandLineOptions.parse(new String[] {"-p", "/cli", "-b", "y,z", "--block-rpcs=w"})
                .applyTo(c);
        c.applyDefaults();
        assertThat(c.path).isEqualTo("/cli");
        assertThat(c.blockRpcs).containsExactly("x", "y", "z", "w");
        assertThat(c.verbose).isTrue();
        assertThatThrownBy(() -> new AgentConfig().load(dir.resolve("none"), true))
                .hasMessage("error loading configuration from path: " + dir.resolve("none")
                        + ", No such file or directory");
        new AgentConfig().load(dir.resolve("none"), false); // the default file may be missing
    }

    @Test
    void pathCheckAndDefaults() throws ConfigException {
        AgentConfig virtio = fromCommandLine();
        virtio.requirePath();
        assertThat(virtio.path).isEqualTo("/dev/virtio-ports/org.qemu.guest_agent.0");
        AgentConfig isa = fromCommandLine("-m", "isa-serial");
        isa.requirePath();
        assertThat(isa.path).isEqualTo("/dev/ttyS0");
        assertThatThrownBy(() -> fromCommandLine("-m", "unix-listen").requirePath())
                .hasMessage("must specify a path for this channel");
    }

    @Test
    void dumpConfReadsBackToTheSameConfiguration() throws ConfigException {
        for (String[] args : List.of(
                new String[] {},
                new String[] {
                    "-d",
                    "-m",
                    "unix-listen",
                    "-p",
                    " lead\\ing\ttab",
                    "-l",
                    "/l",
                    "-f",
                    "/f",
                    "-F",
                    "-t",
                    "/t",
                    "-v",
                    "-r",
                    "-b",
                    "a,b",
                    "-a",
                    "c;d"
                },
                new String[] {"-m", "vsock-listen", "-p", "3:1234", "-F/x y"})) {
            AgentConfig c = fromCommandLine(args);
            c.requirePath();
            AgentConfig back = read(c.dump());
            assertThat(back).as(String.join(" ", args)).isEqualTo(c);
            assertThat(back.dump()).isEqualTo(c.dump());
        }
    }
}
