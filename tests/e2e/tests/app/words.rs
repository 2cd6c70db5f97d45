//! Plain words: History as sentences, search results as a list of plain-text snippets.
