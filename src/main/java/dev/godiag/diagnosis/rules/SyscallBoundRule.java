package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** cpu.syscall-bound: much of the CPU goes to system calls made by the service (not the scheduler's netpoll). */
public final class SyscallBoundRule extends ShareRule {
    static final Threshold SHARE = new Threshold("syscallShare", "fraction", 0.15, 0.30, 0.50,
            "share of the CPU samples in syscall.Syscall*/RawSyscall*, internal/runtime/syscall.Syscall6 (Go 1.23+) or runtime/internal/syscall (1.20-1.22) outside the scheduler's netpoll (15%/30%/50%)");

    public SyscallBoundRule() {
        super("cpu.syscall-bound", "cpu", "much of the CPU goes to system calls made by the service (not the scheduler's netpoll)", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.prefixes("syscall.Syscall", "syscall.RawSyscall", "syscall.syscall", "syscall.rawSyscall", "internal/runtime/syscall.", "runtime/internal/syscall.", "golang.org/x/sys/unix.Syscall", "golang.org/x/sys/unix.RawSyscall");
    }

    @Override
    Predicate<String> exclude() {
        return StackMatch.names("runtime.netpoll", "runtime.findRunnable", "runtime.findrunnable", "runtime.schedule");
    }

    @Override
    String what() {
        return "time spent in system calls";
    }

    @Override
    String explanation() {
        return "The CPU samples end in system calls: the kernel work of small reads and writes, file operations or polling made by the service's goroutines. Each call costs a user/kernel transition and, when it blocks, a hand-off of the P; many tiny calls (unbuffered writes, one read per byte, stat in a loop) multiply that cost.";
    }

    @Override
    String fix() {
        return "Batch the I/O: wrap files and connections in bufio.Writer/bufio.Reader, write whole buffers instead of pieces, cache stat/open results, and avoid per-request syscalls such as time lookups through the OS or opening files repeatedly.";
    }

    @Override
    String[] example() {
        return new String[] {"for _, line := range lines {\n    conn.Write([]byte(line)) // one write(2) per line\n}", "w := bufio.NewWriter(conn)\nfor _, line := range lines {\n    w.WriteString(line)\n}\nw.Flush()"};
    }
}
