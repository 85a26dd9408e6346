package dev.jqga.linux.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import dev.jqga.linux.jna.LibC;
import dev.jqga.platform.ProcessLauncher.CapturedOutput;
import dev.jqga.platform.ProcessLauncher.ChildExit;
import dev.jqga.platform.ProcessLauncher.ChildProcess;

/**
 * One guest-exec child: its pid, its pidfd (-1 where the kernel has none), the agent's ends of
 * its pipes and what they captured. The {@link ChildWatcher} thread feeds and drains the pipes and
 * reaps the child; the request thread asks {@link #pollExit()}. Both hold this object's lock, and
 * only a child not yet reaped is ever waited for, so its pid cannot have been reused.
 */
final class LinuxChild implements ChildProcess {
    final int pid;
    int pidfd;
    final Capture out;
    final Capture err;
    StdinFeed in;
    private boolean reaped;
    private int status;

    LinuxChild(int pid, int pidfd, Capture out, Capture err, StdinFeed in) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public synchronized ChildExit pollExit() {
        reap();
        if (!reaped || open(out) || open(err)) {
            return null;
        }
        boolean exited = (status & 0x7F) == 0;
        return new ChildExit(
                exited ? (status >> 8) & 0xFF : null, exited ? null : status & 0x7F, captured(out), captured(err));
    }

    /** waitpid(pid, WNOHANG) unless already reaped. The pidfd is closed by the watcher only. */
    synchronized void reap() {
        if (reaped) {
            return;
        }
        IntByReference st = new IntByReference();
        try {
            if (LibC.INSTANCE.waitpid(pid, st, LibC.WNOHANG) == pid) {
                reaped = true;
                status = st.getValue();
            }
        } catch (LastErrorException e) {
            // ECHILD cannot happen for our own unreaped child; try again later
        }
    }

    synchronized boolean reaped() {
        return reaped;
    }

    /** Reaped, and nothing left to feed or drain: the watcher can forget it. */
    synchronized boolean done() {
        return reaped && pidfd < 0 && !open(out) && !open(err) && in == null;
    }

    private static boolean open(Capture c) {
        return c != null && !c.closed();
    }

    private static CapturedOutput captured(Capture c) {
        return c == null ? CapturedOutput.NONE : c.result();
    }
}
