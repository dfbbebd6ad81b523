package dev.godiag.model.trace;

/** A goroutine's state as a trace names it ({@code gstatus} of GoStatus events), Go's names. */
public enum GoState {
    BAD("Bad"), RUNNABLE("Runnable"), RUNNING("Running"), SYSCALL("Syscall"), WAITING("Waiting"),
    /** Not wire values: before creation or after exit, and first seen in a generation's status. */
    NOT_EXIST("NotExist"), UNDETERMINED("Undetermined");

    private final String goName;

    GoState(String goName) {
        this.goName = goName;
    }

    public String goName() {
        return goName;
    }

    /** The state of a wire value; values Go does not define are {@link #BAD}, as in Go. */
    public static GoState of(long wire) {
        return wire > 0 && wire < 5 ? values()[(int) wire] : BAD;
    }
}
