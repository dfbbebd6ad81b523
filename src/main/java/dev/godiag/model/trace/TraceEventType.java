package dev.godiag.model.trace;

import java.util.List;

/**
 * The timed events of Go's execution trace format (Go 1.22 and later), with their wire codes and
 * argument names as Go's internal/trace/tracev2 spells them ({@code dt} left out: it becomes the
 * event's time). Arguments ending in {@code _string} are string table ids, {@code stack} and
 * {@code new_stack} stack table ids. Structural events (batch headers, tables, sync) are not here:
 * the reader turns them into the generation's tables.
 */
public enum TraceEventType {
    PROCS_CHANGE(9, "ProcsChange", 22, "procs_value", "stack"),
    PROC_START(10, "ProcStart", 22, "p", "p_seq"),
    PROC_STOP(11, "ProcStop", 22),
    PROC_STEAL(12, "ProcSteal", 22, "p", "p_seq", "m"),
    PROC_STATUS(13, "ProcStatus", 22, "p", "pstatus"),
    GO_CREATE(14, "GoCreate", 22, "new_g", "new_stack", "stack"),
    GO_CREATE_SYSCALL(15, "GoCreateSyscall", 22, "new_g"),
    GO_START(16, "GoStart", 22, "g", "g_seq"),
    GO_DESTROY(17, "GoDestroy", 22),
    GO_DESTROY_SYSCALL(18, "GoDestroySyscall", 22),
    GO_STOP(19, "GoStop", 22, "reason_string", "stack"),
    GO_BLOCK(20, "GoBlock", 22, "reason_string", "stack"),
    GO_UNBLOCK(21, "GoUnblock", 22, "g", "g_seq", "stack"),
    GO_SYSCALL_BEGIN(22, "GoSyscallBegin", 22, "p_seq", "stack"),
    GO_SYSCALL_END(23, "GoSyscallEnd", 22),
    GO_SYSCALL_END_BLOCKED(24, "GoSyscallEndBlocked", 22),
    GO_STATUS(25, "GoStatus", 22, "g", "m", "gstatus"),
    STW_BEGIN(26, "STWBegin", 22, "kind_string", "stack"),
    STW_END(27, "STWEnd", 22),
    GC_ACTIVE(28, "GCActive", 22, "gc_seq"),
    GC_BEGIN(29, "GCBegin", 22, "gc_seq", "stack"),
    GC_END(30, "GCEnd", 22, "gc_seq"),
    GC_SWEEP_ACTIVE(31, "GCSweepActive", 22, "p"),
    GC_SWEEP_BEGIN(32, "GCSweepBegin", 22, "stack"),
    GC_SWEEP_END(33, "GCSweepEnd", 22, "swept_value", "reclaimed_value"),
    GC_MARK_ASSIST_ACTIVE(34, "GCMarkAssistActive", 22, "g"),
    GC_MARK_ASSIST_BEGIN(35, "GCMarkAssistBegin", 22, "stack"),
    GC_MARK_ASSIST_END(36, "GCMarkAssistEnd", 22),
    HEAP_ALLOC(37, "HeapAlloc", 22, "heapalloc_value"),
    HEAP_GOAL(38, "HeapGoal", 22, "heapgoal_value"),
    GO_LABEL(39, "GoLabel", 22, "label_string"),
    USER_TASK_BEGIN(40, "UserTaskBegin", 22, "task", "parent_task", "name_string", "stack"),
    USER_TASK_END(41, "UserTaskEnd", 22, "task", "stack"),
    USER_REGION_BEGIN(42, "UserRegionBegin", 22, "task", "name_string", "stack"),
    USER_REGION_END(43, "UserRegionEnd", 22, "task", "name_string", "stack"),
    USER_LOG(44, "UserLog", 22, "task", "key_string", "value_string", "stack"),
    GO_SWITCH(45, "GoSwitch", 23, "g", "g_seq"),
    GO_SWITCH_DESTROY(46, "GoSwitchDestroy", 23, "g", "g_seq"),
    GO_CREATE_BLOCKED(47, "GoCreateBlocked", 23, "new_g", "new_stack", "stack"),
    GO_STATUS_STACK(48, "GoStatusStack", 23, "g", "m", "gstatus", "stack");

    private static final TraceEventType[] BY_CODE = new TraceEventType[64];

    static {
        for (TraceEventType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String goName;
    private final int sinceMinor;
    private final List<String> args;
    private final int stackArg;
    private final int tableIdArgs;

    TraceEventType(int code, String goName, int sinceMinor, String... args) {
        this.code = code;
        this.goName = goName;
        this.sinceMinor = sinceMinor;
        this.args = List.of(args);
        this.stackArg = this.args.indexOf("stack");
        int mask = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("stack") || args[i].equals("new_stack") || args[i].endsWith("_string")) {
                mask |= 1 << i;
            }
        }
        this.tableIdArgs = mask;
    }

    /** The position of the event's own {@code stack} argument, or -1 (asked per event: kept, not searched). */
    public int stackArg() {
        return stackArg;
    }

    /** Bit i set when argument i is a stack or string table id ({@code stack}, {@code new_stack}, {@code *_string}). */
    public int tableIdArgs() {
        return tableIdArgs;
    }

    /** The byte that announces the event on the wire. */
    public int code() {
        return code;
    }

    /** The event's name in Go's source and in {@code go tool trace -d=wire}. */
    public String goName() {
        return goName;
    }

    /** The argument names after the time delta, in wire order. */
    public List<String> args() {
        return args;
    }

    /** The position of the named argument, or -1. */
    public int argIndex(String name) {
        return args.indexOf(name);
    }

    /** The timed event a trace of Go 1.{@code minor} writes with this byte, or null. */
    public static TraceEventType of(int code, int minor) {
        TraceEventType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return t != null && minor >= t.sinceMinor ? t : null;
    }
}
