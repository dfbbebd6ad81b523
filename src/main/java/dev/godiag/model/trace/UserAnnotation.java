package dev.godiag.model.trace;

/**
 * A runtime/trace annotation as Go's reader gives it: a task's begin or end, a region's begin or
 * end, or a log message, on the goroutine that made it.
 *
 * @param kind      "TaskBegin", "TaskEnd", "RegionBegin", "RegionEnd" or "Log" (Go's event kinds)
 * @param task      the task id (0: the background task)
 * @param parent    a task's parent (-1, Go's NoTask, for none or unknown); -1 for regions and logs
 * @param type      a task's or region's type (a task's end takes its begin's, "" when unseen); "" for logs
 * @param category  a log's category (its key), else ""
 * @param message   a log's message, else ""
 * @param goroutine the goroutine running on the event's thread, -1 if none is known
 */
public record UserAnnotation(long time, String kind, long task, long parent, String type, String category,
                             String message, long goroutine, long stack, TraceEvent event) {
}
