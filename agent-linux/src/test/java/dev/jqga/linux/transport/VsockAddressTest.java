package dev.jqga.linux.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code <cid>:<port>} as qemu-ga parses it (checked against qemu-ga 7.2's messages). */
class VsockAddressTest {
    @Test
    void validAddresses() throws IOException {
        assertThat(VsockAddress.parse("3:1234")).isEqualTo(new VsockAddress(3, 1234));
        assertThat(VsockAddress.parse("4294967295:5000").cid()).isEqualTo(-1); // VMADDR_CID_ANY
        assertThat(VsockAddress.parse(" +1:2")).isEqualTo(new VsockAddress(1, 2));
        assertThat(VsockAddress.parse("4294967295:4294967295").toString()).isEqualTo("4294967295:4294967295");
    }

    @Test
    void qemusErrorTexts() {
        assertThatThrownBy(() -> VsockAddress.parse("1")).hasMessage("error parsing address '1'");
        assertThatThrownBy(() -> VsockAddress.parse("1:")).hasMessage("error parsing address '1:'");
        assertThatThrownBy(() -> VsockAddress.parse(":1")).hasMessage("error parsing address ':1'");
        assertThatThrownBy(() -> VsockAddress.parse("a:b")).hasMessage("Failed to parse cid 'a'");
        assertThatThrownBy(() -> VsockAddress.parse("-1:5")).hasMessage("Failed to parse cid '-1'");
        assertThatThrownBy(() -> VsockAddress.parse("4294967296:1")).hasMessage("Failed to parse cid '4294967296'");
        assertThatThrownBy(() -> VsockAddress.parse("1:2x")).hasMessage("Failed to parse port '2x'");
        assertThatThrownBy(() -> VsockAddress.parse("1:2,x")).hasMessage("trailing characters in address '1:2,x'");
    }
}
