package dev.jqga.linux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecPathSearchTest {

    @Test
    void aNameWithASlashIsUsedAsItIs() {
        assertThat(ExecPathSearch.candidates("/bin/true", null, "/usr/bin")).containsExactly("/bin/true");
        assertThat(ExecPathSearch.candidates("./run", List.of("PATH=/x"), "/usr/bin"))
                .containsExactly("./run");
    }

    @Test
    void anEmptyNameHasNoCandidate() {
        assertThat(ExecPathSearch.candidates("", null, "/usr/bin")).isEmpty();
    }

    @Test
    void theAgentsPathIsSearchedWithoutAnEnvironment() {
        assertThat(ExecPathSearch.candidates("ls", null, "/usr/local/bin:/usr/bin/"))
                .containsExactly("/usr/local/bin/ls", "/usr/bin/ls");
    }

    @Test
    void theChildsPathWinsWhenTheHostGaveOne() {
        assertThat(ExecPathSearch.candidates("ls", List.of("A=1", "PATH=/opt/bin", "PATH=/ignored"), "/usr/bin"))
                .containsExactly("/opt/bin/ls");
    }

    @Test
    void anEnvironmentWithoutPathFallsBackToTheAgents() {
        assertThat(ExecPathSearch.candidates("ls", List.of("A=1", "XPATH=/no"), "/usr/bin"))
                .containsExactly("/usr/bin/ls");
        assertThat(ExecPathSearch.candidates("ls", List.of(), "/usr/bin")).containsExactly("/usr/bin/ls");
    }

    @Test
    void withNoPathAnywhereGlibsDefaultIsUsed() {
        assertThat(ExecPathSearch.candidates("ls", null, null)).containsExactly("/bin/ls", "/usr/bin/ls", "./ls");
    }

    @Test
    void anEmptyPathElementMeansTheWorkingDirectory() {
        assertThat(ExecPathSearch.candidates("ls", List.of("PATH=/a::/b:"), null))
                .containsExactly("/a/ls", "ls", "/b/ls", "ls");
    }
}
