package dev.godiag.model.trace;

/** A P's state as a trace names it ({@code pstatus} of ProcStatus events), Go's names. */
public enum ProcState {
    BAD("Bad"), RUNNING("Running"), IDLE("Idle"), SYSCALL("Syscall"), SYSCALL_ABANDONED("SyscallAbandoned"),
    /** Not a wire value: a P first seen in a generation's status. */
    UNDETERMINED("Undetermined");

    private final String goName;

    ProcState(String goName) {
        this.goName = goName;
    }

    public String goName() {
        return goName;
    }

    /** The state of a wire value; values Go does not define are {@link #BAD}, as in Go. */
    public static ProcState of(long wire) {
        return wire > 0 && wire < 5 ? values()[(int) wire] : BAD;
    }
}
