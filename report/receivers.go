package report

import (
	"fmt"
	"io"
	"strings"
)

// ReceiverList is the outcome of `preflight receivers`: the receiver
// profiles and every rule they apply, with where each rule comes from. Its
// JSON encoding is the command's contract; field names are API.
type ReceiverList struct {
	Schema    string            `json:"schema"`
	Receivers []ReceiverProfile `json:"receivers"`
}

// ReceiversSchema is the value of ReceiverList.Schema.
const ReceiversSchema = "preflight/receivers/v1"

// ReceiverProfile is one receiver's profile.
type ReceiverProfile struct {
	ID   string `json:"id"` // the --receiver value
	Name string `json:"name"`
	// Hosted names the receiver's service for companies' own domains
	// (Tencent Exmail), when it has one.
	Hosted     string   `json:"hosted,omitempty"`
	Mailboxes  []string `json:"mailboxes"`   // the mailbox domains --receiver auto maps to it
	MXSuffixes []string `json:"mx_suffixes"` // its MX hosts, as a bounce names them
	// About says what the receiver documents and what the profile assumes.
	About string `json:"about"`
	// Discovery is the DMARC discovery method assumed: rfc7489 or rfc9989.
	Discovery string `json:"discovery"`
	// Documented, ThirdParty and Inferred count the rules by provenance.
	Documented int            `json:"documented"`
	ThirdParty int            `json:"third_party"`
	Inferred   int            `json:"inferred"`
	Bulk       bool           `json:"bulk"` // it has bulk-sender rules (--bulk)
	Rules      []ReceiverRule `json:"rules"`
}

// ReceiverRule is one rule of a profile.
type ReceiverRule struct {
	// Case is the situation the rule covers ("DMARC fails under p=reject").
	Case string `json:"case"`
	// Disposition is what the receiver does then; "" for a rule that
	// adjusts an evaluation or states a fact.
	Disposition Disposition `json:"disposition,omitempty"`
	// Reply is its SMTP reply with example values (brand.example,
	// 192.0.2.10); "" when none is known.
	Reply string `json:"reply,omitempty"`
	Rule
}

// WriteReceivers writes l in o.Format: text (one block per receiver, its
// rules with provenance, confidence, source and date), json (one line) or
// markdown (a table per receiver). With Quiet, text lists one line per
// receiver (its ID, name and rule counts) and markdown the digest the
// README shows (ReceiversDigest).
func WriteReceivers(w io.Writer, l *ReceiverList, o Options) error {
	f, err := o.format("receivers", FormatText, FormatJSON, FormatMarkdown)
	if err != nil {
		return err
	}
	switch {
	case f == FormatJSON:
		return writeJSONLine(w, l)
	case f == FormatMarkdown && o.Quiet:
		_, err := io.WriteString(w, ReceiversDigest(l))
		return err
	case f == FormatMarkdown:
		return writeReceiversMarkdown(w, l)
	}
	t := &textWriter{w: w, o: o.TextOptions}
	for i, p := range l.Receivers {
		counts := fmt.Sprintf("%d documented, %d third-party, %d inferred", p.Documented, p.ThirdParty, p.Inferred)
		if o.Quiet {
			t.printf("%-13s %-32s %s\n", p.ID, p.Name, counts)
			continue
		}
		if i > 0 {
			t.line(0, 0, "")
		}
		t.line(0, 0, t.paint(ansiBold, fmt.Sprintf("%s — %s", p.ID, p.Name))+" ("+counts+")")
		if len(p.Mailboxes) > 0 {
			t.line(2, 2, "mailboxes: "+strings.Join(p.Mailboxes, ", "))
		}
		if p.Hosted != "" {
			t.line(2, 2, "also: "+p.Hosted)
		}
		t.line(2, 2, p.About)
		for _, r := range p.Rules {
			head := fmt.Sprintf("- %s: ", r.Case)
			if r.Disposition != "" {
				head += string(r.Disposition) + " — "
			}
			t.line(2, 4, head+r.Text+t.paint(ansiDim, fmt.Sprintf(" [%s, %s confidence]", r.Provenance, r.Confidence)))
			if r.Reply != "" {
				t.line(6, 2, "reply: "+r.Reply)
			}
			if r.Source != "" && o.Verbose {
				src := "source: " + r.Source
				if r.Date != "" {
					src += " (" + r.Date + ")"
				}
				t.line(6, 2, t.paint(ansiDim, src))
			}
		}
	}
	if !o.Quiet && !o.Verbose {
		t.line(0, 0, "")
		t.line(0, 0, t.paint(ansiDim, "Sources and their dates: preflight receivers -v (or --format json)."))
	}
	return t.err
}

func writeReceiversMarkdown(w io.Writer, l *ReceiverList) error {
	var b strings.Builder
	b.WriteString("| receiver | name | documented | third-party | inferred | bulk rules |\n|---|---|---:|---:|---:|---|\n")
	for _, p := range l.Receivers {
		bulk := "no"
		if p.Bulk {
			bulk = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d | %s |\n", p.ID, mdCell(p.Name), p.Documented, p.ThirdParty, p.Inferred, bulk)
	}
	for _, p := range l.Receivers {
		fmt.Fprintf(&b, "\n### %s (`%s`)\n\n%s\n\n", mdCell(p.Name), p.ID, mdCell(p.About))
		b.WriteString("| case | does | rule | provenance | confidence | source |\n|---|---|---|---|---|---|\n")
		for _, r := range p.Rules {
			does := mdCell(string(r.Disposition))
			if r.Reply != "" {
				does += " " + mdCode(r.Reply, true)
			}
			src := mdCell(r.Source)
			if r.Date != "" {
				src += " (" + mdCell(r.Date) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(r.Case), does, mdCell(r.Text), r.Provenance, r.Confidence, src)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ReceiversDigest is a short Markdown account of every profile: what the
// receiver documents, its rules by provenance, its DMARC rejection, and
// the sources its rules cite with their dates. The README's Receivers
// section is this text (a test keeps the two equal).
func ReceiversDigest(l *ReceiverList) string {
	var b strings.Builder
	b.WriteString("| receiver | `--receiver` | documented | third-party | inferred | bulk-sender rules | DMARC p=reject reply |\n|---|---|---:|---:|---:|---|---|\n")
	for _, p := range l.Receivers {
		bulk := "—"
		if p.Bulk {
			bulk = "yes"
		}
		reply := "—"
		for _, r := range p.Rules {
			if r.Case == "DMARC fails under p=reject" {
				reply = "not known (" + string(r.Provenance) + ", " + r.Confidence + ")"
				if r.Reply != "" {
					reply = mdCode(clipReply(r.Reply), true) + " (" + string(r.Provenance) + ", " + r.Confidence + ")"
				}
			}
		}
		fmt.Fprintf(&b, "| %s | `%s` | %d | %d | %d | %s | %s |\n", mdCell(p.Name), p.ID, p.Documented, p.ThirdParty, p.Inferred, bulk, reply)
	}
	for _, p := range l.Receivers {
		fmt.Fprintf(&b, "\n**%s** (`%s`). %s\n", mdCell(p.Name), p.ID, mdCell(p.About))
		seen := map[string]string{}
		var order []string
		for _, r := range p.Rules {
			// A rule's date is that of its first source.
			for i, src := range strings.Split(r.Source, "; ") {
				if src == "" {
					continue
				}
				if _, ok := seen[src]; !ok {
					order = append(order, src)
					seen[src] = ""
				}
				if i == 0 && r.Date > seen[src] {
					seen[src] = r.Date
				}
			}
		}
		if len(order) == 0 {
			b.WriteString("Sources: none; every rule is inferred from the RFCs.\n")
			continue
		}
		b.WriteString("Sources:")
		for i, src := range order {
			sep := ";"
			if i == len(order)-1 {
				sep = "."
			}
			date := ""
			if d := seen[src]; d != "" {
				date = " (" + mdCell(d) + ")"
			}
			fmt.Fprintf(&b, " %s%s%s", mdCell(src), date, sep)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// clipReply shortens a long reply for a table cell, keeping its code and
// first words.
func clipReply(s string) string {
	if r := []rune(s); len(r) > 70 {
		return string(r[:69]) + "…"
	}
	return s
}
