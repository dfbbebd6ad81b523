package dev.godiag.diagnosis;

import java.util.List;

/**
 * Several rules from one provider, e.g. a table of rules that are only data; found by
 * {@link java.util.ServiceLoader} (META-INF/services/dev.godiag.diagnosis.RuleSet) next to the
 * single {@link Rule}s.
 */
public interface RuleSet {
    List<Rule> rules();
}
