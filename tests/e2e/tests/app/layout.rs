//! Layout: labels that fit or wrap, tooltips and toasts that cover nothing, visible focus.
