package dev.godiag.model;

/** A (type, unit) pair such as ("cpu", "nanoseconds") or ("inuse_space", "bytes"). */
public record ValueType(String type, String unit) {
    public ValueType {
        type = type == null ? "" : type;
        unit = unit == null ? "" : unit;
    }

    @Override
    public String toString() {
        return type + "/" + unit;
    }
}
