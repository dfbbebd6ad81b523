package dev.godiag.diagnosis;

import java.util.List;

/**
 * What the knowledge base tells the user about one finding: the mechanism, the fix and the
 * example of its first known card, and every card's title and verify commands, with the finding's
 * evidence filled into the cards' placeholders ({@link KnowledgeBase#advice}).
 *
 * @param explanation the card's mechanism; empty when no card is known
 * @param fix         the card's fix; empty when no card is known
 * @param example     the card's before/after code, or null
 */
public record Advice(String explanation, String fix, KnowledgeBase.Example example, List<CardRef> cards) {
    public Advice {
        cards = List.copyOf(cards);
    }

    /** A card of a finding: its id, and its title and verify commands when the card is known (title null if not). */
    public record CardRef(String id, String title, List<String> verify) {
        public CardRef {
            verify = List.copyOf(verify);
        }
    }
}
