package dev.godiag.badinput;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets the tries of the fuzz properties from the system property {@code godiag.fuzz.tries}
 * (default {@value #DEFAULT}); a property may ask for a fraction of that with {@link Share}.
 */
public final class FuzzTries implements AroundPropertyHook {
    static final int DEFAULT = 2000;

    /** The share of {@code godiag.fuzz.tries} a property runs, in percent. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @interface Share {
        int percent();
    }

    static int configured() {
        String s = System.getProperty("godiag.fuzz.tries");
        if (s == null || s.isBlank()) {
            return DEFAULT;
        }
        return Math.max(1, Integer.parseInt(s.trim()));
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (context.attributes().tries().isPresent()) {
            return property.execute(); // the property says how often
        }
        int tries = configured();
        Share share = context.targetMethod().getAnnotation(Share.class);
        if (share != null) {
            tries = Math.max(1, (int) ((long) tries * share.percent() / 100));
        }
        context.attributes().setTries(tries);
        return property.execute();
    }
}
