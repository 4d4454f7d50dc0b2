"""The Content-Security-Policy of every page, and the response headers the deploy docs give.

Every page carries the policy as `<meta http-equiv>` (templates/theme/main.html), which works on any
static host. No page has an inline script (Material's two and ours are files under assets/), so
`script-src` needs no hash and no 'unsafe-inline'; Pagefind compiles its WebAssembly, which needs
'wasm-unsafe-eval' (not 'unsafe-eval': no JavaScript eval). Inline `style=` attributes are allowed
(charts size their SVG with one, Markdown tables align cells with one) but `<style>` elements are not.
Material's icons are `data:` SVG images in its CSS. Nothing is loaded from another host.
"""

from __future__ import annotations

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
POLICY = "; ".join(DIRECTIVES)
# Only a response header can forbid framing (a <meta> policy ignores frame-ancestors).
HEADER_POLICY = POLICY + "; frame-ancestors 'self'"
HEADERS = {
    "Content-Security-Policy": HEADER_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}
