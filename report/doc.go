// Package report holds preflight's report model, its finding catalogue and
// the renderers (text, JSON, Markdown, JUnit, GitHub annotations). Renderers
// are pure over the model; every untrusted string passes through Safe (or
// the format's own escaping) before it is written.
package report
