package finding

// Entry describes one finding ID in the catalogue.
type Entry struct {
	Severity Severity
	Title    string
}

// Catalogue lists every finding ID preflight can emit, with its severity and
// title. IDs are stable: tools match on them. FINDINGS.md documents each one
// (a test keeps the two in step, and another checks that every ID the code
// uses is here).
var Catalogue = map[string]Entry{
	// The message and envelope.
	"message.from-invalid":         {SeverityError, "No single From address: DMARC has no author domain"},
	"message.from-lenient":         {SeverityWarn, "From header is not valid RFC 5322"},
	"envelope.mail-from-unknown":   {SeverityWarn, "MAIL FROM (Return-Path) unknown: SPF alignment cannot be judged"},
	"envelope.mail-from-invalid":   {SeverityError, "MAIL FROM is not a usable address"},
	"envelope.null-sender-no-helo": {SeverityWarn, "Null MAIL FROM without --helo: SPF cannot be evaluated"},
	"message.from-multiple":        {SeverityWarn, "From holds several addresses: every author domain must pass DMARC"},
	"message.domain-not-found":     {SeverityError, "The From domain does not exist (NXDOMAIN)"},
	"envelope.domain-not-found":    {SeverityError, "The MAIL FROM domain does not exist (NXDOMAIN)"},

	// DNS.
	"dns.not-recorded": {SeverityError, "DNS not in the replayed recording: no verdict"},

	// DMARC.
	"dmarc.no-aligned-pass":   {SeverityError, "DMARC fails: no aligned SPF or DKIM pass"},
	"dmarc.no-record":         {SeverityWarn, "No DMARC record"},
	"dmarc.multiple-records":  {SeverityError, "Several DMARC records: no policy applies"},
	"dmarc.invalid-record":    {SeverityError, "DMARC record has a syntax error"},
	"dmarc.no-policy":         {SeverityWarn, "DMARC record without a valid p= tag"},
	"dmarc.record-warning":    {SeverityWarn, "DMARC record has a questionable tag"},
	"dmarc.temperror":         {SeverityError, "DMARC could not be evaluated: temporary DNS failure"},
	"dmarc.discovery-differs": {SeverityInfo, "RFC 7489 and RFC 9989 discovery disagree"},
	"dmarc.policy-none":       {SeverityInfo, "DMARC policy is p=none: failures are only reported"},
	"dmarc.pct-sampling":      {SeverityInfo, "pct= below 100: only part of failing mail gets the policy"},
	"dmarc.testing":           {SeverityInfo, "t=y: the policy is applied one step less strictly"},
	"dmarc.single-aligned":    {SeverityInfo, "DMARC passes through one mechanism only"},
	"dmarc.strict-subdomain":  {SeverityInfo, "Strict alignment: a subdomain identifier does not align"},
	"dmarc.sp-weaker":         {SeverityInfo, "sp= is weaker than p= for subdomains"},
	"dmarc.no-rua":            {SeverityInfo, "No rua=: no aggregate reports"},
	"dmarc.rua-unauthorized":  {SeverityWarn, "External report address has not authorised the reports"},

	// SPF.
	"spf.fail":              {SeverityError, "SPF fails for the MAIL FROM domain"},
	"spf.temperror":         {SeverityError, "SPF could not be evaluated: temporary DNS failure"},
	"spf.permerror":         {SeverityError, "SPF policy is broken (permerror)"},
	"spf.not-authorised":    {SeverityWarn, "Sending IP not authorised by SPF (softfail or neutral)"},
	"spf.no-record":         {SeverityWarn, "MAIL FROM domain has no SPF record"},
	"spf.family-differs":    {SeverityWarn, "IPv4 and IPv6 senders get different SPF results"},
	"spf.lookups-headroom":  {SeverityWarn, "SPF uses 8 or more of its 10 DNS lookups"},
	"spf.all-pass":          {SeverityError, "SPF record ends in +all: anyone may send"},
	"spf.all-neutral":       {SeverityWarn, "SPF record ends in ?all: unauthorised senders are neutral"},
	"spf.no-all":            {SeverityWarn, "SPF record has no all term"},
	"spf.ptr":               {SeverityWarn, "SPF record uses ptr (RFC 7208 §5.5: do not)"},
	"spf.lookup-limit":      {SeverityError, "SPF exceeds 10 DNS lookups: permerror everywhere"},
	"spf.void-lookups":      {SeverityWarn, "SPF record has void lookups"},
	"spf.void-limit":        {SeverityError, "SPF exceeds 2 void lookups: permerror"},
	"spf.record-too-long":   {SeverityWarn, "SPF record longer than 450 octets"},
	"spf.string-too-long":   {SeverityError, "SPF TXT string longer than 255 octets"},
	"spf.include-missing":   {SeverityError, "SPF includes a name with no SPF record"},
	"spf.multiple-records":  {SeverityError, "Several SPF records: permerror"},
	"spf.syntax":            {SeverityError, "SPF record has a syntax error"},
	"spf.redirect-with-all": {SeverityInfo, "redirect= is ignored because the record has all"},
	"spf.mx-too-many":       {SeverityError, "An mx term has more than 10 MX names"},
	"spf.loop":              {SeverityError, "SPF include or redirect loop: permerror"},
	"spf.lookup-cost":       {SeverityInfo, "One SPF term costs several DNS lookups"},
	"spf.family-v4":         {SeverityWarn, "An SPF term never matches IPv4 senders"},
	"spf.family-v6":         {SeverityInfo, "An SPF term never matches IPv6 senders"},
	"spf.exp-broken":        {SeverityInfo, "SPF exp= gives no explanation"},

	// DKIM.
	"dkim.no-common-selector":      {SeverityInfo, "No key at any common DKIM selector"},
	"dkim.sign-simulation-failed":  {SeverityError, "Sign-simulation could not run"},
	"dkim.unreadable":              {SeverityError, "Message unreadable for DKIM"},
	"dkim.unsigned":                {SeverityInfo, "The message carries no DKIM signature"},
	"dkim.from-unsigned-instance":  {SeverityWarn, "A From field is not covered by the signature"},
	"dkim.key-strict-identifier":   {SeverityWarn, "Key t=s but i= is a subdomain of d="},
	"dkim.signed-in-future":        {SeverityInfo, "DKIM t= is after the evaluation time"},
	"dkim.key-1024":                {SeverityWarn, "DKIM key is 1024 bits: passes, 2048 recommended"},
	"dkim.body-length":             {SeverityWarn, "DKIM signature uses l=: part of the body is unsigned"},
	"dkim.testing-mode":            {SeverityWarn, "DKIM key in testing mode (t=y)"},
	"dkim.from-not-oversigned":     {SeverityWarn, "From is signed only once: a second From could be prepended"},
	"dkim.header-unsigned":         {SeverityWarn, "Important header fields are not signed"},
	"dkim.expiry-before-timestamp": {SeverityWarn, "DKIM x= is before t="},
	"dkim.ed25519-only":            {SeverityWarn, "Only ed25519 signatures: not every receiver verifies them"},
	"dkim.lf-line-endings":         {SeverityInfo, "Message saved with LF line endings: verified as CRLF"},
	"dkim.key-file-readable":       {SeverityWarn, "Private key file readable by group or others"},
	"dkim.key-mismatch":            {SeverityError, "Published DKIM key does not match the private key"},
	"dkim.signature-syntax":        {SeverityError, "DKIM-Signature is malformed"},
	"dkim.signature-version":       {SeverityError, "DKIM-Signature v= is not 1"},
	"dkim.missing-tag":             {SeverityError, "DKIM-Signature lacks a required tag"},
	"dkim.unknown-algorithm":       {SeverityError, "DKIM algorithm or canonicalization unknown"},
	"dkim.from-not-signed":         {SeverityError, "DKIM signature does not sign From"},
	"dkim.identifier-outside":      {SeverityError, "DKIM i= is outside d="},
	"dkim.tag-value":               {SeverityError, "DKIM tag value malformed"},
	"dkim.expired":                 {SeverityError, "DKIM signature expired (x=)"},
	"dkim.key-not-found":           {SeverityError, "DKIM key record not found"},
	"dkim.key-temporary":           {SeverityError, "DKIM key lookup failed temporarily"},
	"dkim.key-multiple":            {SeverityError, "Several DKIM key records at one name"},
	"dkim.key-revoked":             {SeverityError, "DKIM key revoked (empty p=)"},
	"dkim.key-syntax":              {SeverityError, "DKIM key record unusable"},
	"dkim.key-too-short":           {SeverityError, "DKIM key under 1024 bits"},
	"dkim.key-hash":                {SeverityError, "DKIM key h= does not allow the signature's hash"},
	"dkim.key-type":                {SeverityError, "DKIM key type does not match the algorithm"},
	"dkim.key-service":             {SeverityError, "DKIM key s= excludes email"},
	"dkim.rsa-sha1":                {SeverityError, "DKIM rsa-sha1 (refused since RFC 8301)"},
	"dkim.body-hash-mismatch":      {SeverityError, "DKIM body hash mismatch: the body changed after signing"},
	"dkim.signature-mismatch":      {SeverityError, "DKIM signature mismatch: a signed header changed"},
	"dkim.header-too-large":        {SeverityError, "Header section too large to verify"},
	"dkim.too-many-signatures":     {SeverityError, "Too many DKIM signatures: the rest not verified"},
	"dkim.verifier-disagreement":   {SeverityError, "Verifiers disagree on a DKIM signature"},

	// The domain audit (preflight domain): existence, MX, BIMI, MTA-STS,
	// TLS-RPT.
	"domain.nxdomain":         {SeverityError, "The domain does not exist (NXDOMAIN)"},
	"domain.temperror":        {SeverityError, "Part of the domain audit failed: temporary DNS failure"},
	"domain.no-mx":            {SeverityWarn, "No MX record: mail to the domain falls back to its address"},
	"domain.null-mx":          {SeverityInfo, "Null MX (RFC 7505): the domain accepts no mail"},
	"domain.null-mx-sends":    {SeverityWarn, "Null MX on a domain whose SPF authorises senders"},
	"bimi.invalid":            {SeverityWarn, "BIMI record is not valid: no logo is shown"},
	"bimi.dmarc-not-enforced": {SeverityWarn, "BIMI needs DMARC at enforcement (quarantine or reject)"},
	"mtasts.invalid":          {SeverityWarn, "MTA-STS TXT record is not valid: senders apply no policy"},
	"tlsrpt.invalid":          {SeverityWarn, "TLS-RPT record is not valid: no TLS reports are sent"},
	"tlsrpt.missing":          {SeverityInfo, "MTA-STS without TLS-RPT: TLS failures go unreported"},

	// The receiver.
	"receiver.quarantine":       {SeverityWarn, "Accepted, then delivered to spam"},
	"receiver.pct-probability":  {SeverityWarn, "Rejection is probabilistic under pct="},
	"receiver.dkim-not-counted": {SeverityWarn, "A passing DKIM signature the receiver does not count"},

	// Bulk senders (check --bulk): each receiver's requirements.
	"bulk.spf-fail":            {SeverityError, "Bulk senders: SPF does not pass"},
	"bulk.dkim-fail":           {SeverityError, "Bulk senders: no DKIM signature passes"},
	"bulk.no-dmarc-record":     {SeverityError, "Bulk senders: no DMARC record"},
	"bulk.not-aligned":         {SeverityError, "Bulk senders: From aligned with neither SPF nor DKIM"},
	"bulk.dmarc-fail":          {SeverityError, "Bulk senders: DMARC does not pass"},
	"bulk.no-list-unsubscribe": {SeverityError, "Bulk mail without List-Unsubscribe"},
	"bulk.no-one-click":        {SeverityWarn, "No RFC 8058 one-click unsubscribe"},
	"bulk.no-fcrdns":           {SeverityError, "Sending IP without forward-confirmed reverse DNS"},
	"bulk.fcrdns-temperror":    {SeverityWarn, "Reverse DNS of the sending IP could not be checked"},
}

// Lookup returns the catalogue entry of id; ok is false for an unknown ID.
func Lookup(id string) (Entry, bool) {
	e, ok := Catalogue[id]
	return e, ok
}

// New builds a finding from the catalogue: severity and title come from
// the entry of id. An ID missing from the catalogue gets severity warn and
// its ID as title (a test in package report forbids emitting one).
func New(id, detail, fix string) Finding {
	e, ok := Catalogue[id]
	if !ok {
		e = Entry{SeverityWarn, id}
	}
	return Finding{ID: id, Severity: e.Severity, Title: e.Title, Detail: detail, Fix: fix}
}
