package dev.godiag.util;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns strings to dense indexes; index 0 is always the empty string, as in profile.proto. */
public final class StringTable {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    public StringTable() {
        intern("");
    }

    public int intern(String s) {
        Integer i = index.get(s);
        if (i != null) {
            return i;
        }
        int n = strings.size();
        strings.add(s);
        index.put(s, n);
        return n;
    }

    public String get(int i) {
        return strings.get(i);
    }

    public int size() {
        return strings.size();
    }

    public List<String> strings() {
        return strings;
    }
}
