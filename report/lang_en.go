package report

// The English catalogue of the finding IDs: what each one means (the
// Meaning column of FINDINGS.md, word for word; a test keeps them equal)
// and, for every error and where one is natural for a warning, the fix
// in general terms. The title is the catalogue's own (finding.Catalogue);
// the per-message Detail and Fix are written by the code that emits the
// finding. The zh catalogue (lang_zh_findings.go) has the same IDs.
var enFindings = map[string]FindingText{
	"message.from-invalid": {
		Meaning: "The message has no single usable From address (none, several, or unparseable), so DMARC has no author domain to check.",
		Fix:     "Give the message exactly one From header with one address whose domain is the one you authenticate (RFC 5322 §3.6.2).",
	},
	"message.from-lenient": {
		Meaning: "The From header could only be read leniently; it is not valid RFC 5322 and strict receivers may refuse it.",
		Fix:     "Write the From header as RFC 5322 says: an address in angle brackets, a display name that is an atom, a quoted string or RFC 2047 encoded.",
	},

	"envelope.mail-from-unknown": {
		Meaning: "Neither `--mail-from` nor a Return-Path header gives the MAIL FROM, so SPF alignment cannot be judged.",
		Fix:     "Give the MAIL FROM with --mail-from (the ESP's bounce address), or check a message that has a Return-Path header.",
	},
	"envelope.mail-from-invalid": {
		Meaning: "The MAIL FROM given is not a usable address or domain.",
		Fix:     "Give --mail-from as an address (bounce@bounce.brand.example) or a domain, or '<>' for the null sender.",
	},
	"envelope.null-sender-no-helo": {
		Meaning: "The MAIL FROM is the null sender `<>`, which SPF checks through the HELO name, and no `--helo` was given.",
		Fix:     "Give the HELO name of the sending server with --helo, so that SPF can be checked for it.",
	},

	"dmarc.no-aligned-pass": {
		Meaning: "DMARC fails: neither SPF nor DKIM passed for a domain aligned with the From domain. The fix lists the changes that would make it pass.",
		Fix:     "Make one identifier pass in alignment with the From domain: sign with DKIM d= the From domain (or a domain under its organizational domain), or send with a Return-Path under it whose SPF authorises the sending IP. One is enough.",
	},
	"dmarc.no-record": {
		Meaning: "Neither the From domain nor its organizational domain publishes a DMARC record, so no policy applies (and bulk-sender rules at Gmail and Yahoo are not met).",
		Fix:     "Publish a DMARC record at _dmarc of the From domain (or its organizational domain), starting with p=none and rua= to collect reports.",
	},
	"dmarc.multiple-records": {
		Meaning: "More than one `v=DMARC1` record at the policy name; RFC 7489 §6.6.3 says no policy applies, receivers differ.",
		Fix:     "Delete all but one v=DMARC1 TXT record at the policy name.",
	},
	"dmarc.invalid-record": {
		Meaning: "The DMARC record cannot be parsed.",
		Fix:     "Correct the record: it starts with v=DMARC1; and continues with tag=value pairs separated by semicolons.",
	},
	"dmarc.no-policy": {
		Meaning: "The DMARC record has no valid `p=` tag.",
		Fix:     "Add p=none, p=quarantine or p=reject right after v=DMARC1;.",
	},
	"dmarc.record-warning": {
		Meaning: "The DMARC record parses but has a questionable tag (unknown tag, bad value ignored, tag order).",
	},
	"dns.not-recorded": {
		Meaning: "A recording replayed with `--zone` (written by `--record`) never saw questions this check asks, so their answers are unknown and the outcome is temperror (exit 3). It replaces the `dmarc.temperror`, `spf.temperror` and `dkim.key-temporary` findings those questions would give; the fix is to refresh the recording against live DNS.",
		Fix:     "Record again against live DNS with the same messages and flags (preflight check … --record FILE), then replay that file with --zone.",
	},
	"dmarc.temperror": {
		Meaning: "The DMARC record lookup failed temporarily; the receiver would defer or decide without it.",
		Fix:     "Retry; if the failure persists, check that the domain's name servers answer for _dmarc.",
	},
	"dmarc.discovery-differs": {
		Meaning: "RFC 7489 (Public Suffix List) and RFC 9989 (DNS tree walk) discovery find different records or organizational domains; the verdict uses the receiver's method.",
	},
	"dmarc.policy-none": {
		Meaning: "The policy is `p=none`: failing mail is only reported, not rejected or quarantined.",
	},
	"dmarc.pct-sampling": {
		Meaning: "`pct=` below 100: only that share of failing mail gets the policy (RFC 9989 receivers ignore pct).",
	},
	"dmarc.testing": {
		Meaning: "`t=y`: RFC 9989 receivers apply the policy one step less strictly.",
	},
	"dmarc.single-aligned": {
		Meaning: "DMARC passes through one mechanism only (SPF or DKIM); a forward or a mailing list can break it.",
	},
	"dmarc.strict-subdomain": {
		Meaning: "Strict alignment (`adkim=s` or `aspf=s`): an identifier at a subdomain or parent of the From domain does not align.",
	},
	"dmarc.sp-weaker": {
		Meaning: "`sp=` is weaker than `p=`: subdomains without their own record get the weaker policy.",
	},
	"dmarc.no-rua": {
		Meaning: "No `rua=`: the domain receives no aggregate reports, so failures at receivers go unseen.",
	},

	"spf.fail": {
		Meaning: "SPF fails (`-all` matched) for the MAIL FROM domain from the sending IP; QQ Mail rejects such mail even when DMARC does not ask for it.",
		Fix:     "Authorise the sending IP in the SPF record of the MAIL FROM domain (an ip4:/ip6: term, or the include: your ESP documents), or send with a MAIL FROM whose SPF already authorises it.",
	},
	"spf.temperror": {
		Meaning: "SPF could not be evaluated because a DNS lookup failed temporarily.",
		Fix:     "Retry; if the failure persists, check that the domain's name servers answer for its TXT records.",
	},
	"spf.permerror": {
		Meaning: "The SPF policy is broken (syntax, lookup limits, loops); receivers treat it as no SPF or as fail.",
		Fix:     "Run preflight spf DOMAIN to find the faulty term or the lookup count, then correct the record.",
	},
	"spf.not-authorised": {
		Meaning: "SPF gives softfail or neutral: the sending IP is not authorised, so SPF cannot count for DMARC.",
		Fix:     "Authorise the sending IP in the SPF record of the MAIL FROM domain (ip4:/ip6:, or the ESP's include:).",
	},
	"spf.no-record": {
		Meaning: "The MAIL FROM (or HELO) domain publishes no SPF record.",
		Fix:     "Publish an SPF record for the MAIL FROM domain that authorises the sending IPs and ends with -all or ~all.",
	},
	"spf.family-differs": {
		Meaning: "IPv4 and IPv6 sending addresses get different SPF results.",
	},
	"spf.lookups-headroom": {
		Meaning: "The policy uses 8 or more of the 10 DNS lookups RFC 7208 §4.6.4 allows; one more include and it is permerror.",
		Fix:     "Remove includes you no longer use, or replace a and mx terms with ip4:/ip6: ranges.",
	},
	"spf.all-pass": {
		Meaning: "The record ends in `+all`: every host on the internet may send as the domain.",
		Fix:     "End the record with -all (or ~all while you test), never +all.",
	},
	"spf.all-neutral": {
		Meaning: "The record ends in `?all`: unauthorised hosts get neutral, which protects nothing.",
		Fix:     "End the record with ~all or -all.",
	},
	"spf.no-all": {
		Meaning: "The record has neither `all` nor `redirect=`: unlisted hosts get neutral (RFC 7208 §4.7).",
		Fix:     "End the record with ~all or -all.",
	},
	"spf.ptr": {
		Meaning: "The record uses `ptr`, which RFC 7208 §5.5 says SHOULD NOT be used (slow, unreliable).",
		Fix:     "Replace the ptr term with ip4:/ip6: ranges or a: names.",
	},
	"spf.lookup-limit": {
		Meaning: "The policy needs more than 10 DNS lookups: evaluations that reach the limit are permerror.",
		Fix:     "Bring the record under 10 DNS lookups: drop includes you no longer use, replace a and mx terms with ip4:/ip6: ranges.",
	},
	"spf.void-lookups": {
		Meaning: "A term's lookup returns no records (a void lookup, RFC 7208 §4.6.4).",
	},
	"spf.void-limit": {
		Meaning: "More than 2 void lookups: permerror.",
		Fix:     "Remove the terms whose lookups find nothing (names without A/AAAA, MX or SPF records).",
	},
	"spf.record-too-long": {
		Meaning: "The SPF record is longer than 450 octets; DNS answers may not fit in UDP (RFC 7208 §3.4).",
	},
	"spf.string-too-long": {
		Meaning: "A record given to be published is longer than 255 octets, the limit of one TXT string: publish it as several quoted strings (RFC 7208 §3.3).",
		Fix:     "Split the record into quoted strings of at most 255 octets each in one TXT record; receivers join them without spaces.",
	},
	"spf.include-missing": {
		Meaning: "An `include:` or `redirect=` names a domain with no SPF record: evaluation reaching it is permerror; the detail says when the name does not exist at all, so anyone who registers it can authorise any host.",
		Fix:     "Correct or remove the include: or redirect= whose domain has no SPF record.",
	},
	"spf.multiple-records": {
		Meaning: "The domain publishes more than one SPF record: every evaluation is permerror (RFC 7208 §4.5).",
		Fix:     "Merge the SPF records into one v=spf1 record and delete the others.",
	},
	"spf.syntax": {
		Meaning: "The SPF record has a syntax error.",
		Fix:     "Correct the term the detail names; preflight spf DOMAIN shows the record term by term.",
	},
	"spf.redirect-with-all": {
		Meaning: "`redirect=` is ignored because the record has an `all` mechanism (RFC 7208 §6.1).",
	},
	"spf.mx-too-many": {
		Meaning: "An `mx` term's domain has more than 10 MX names: the term is permerror (RFC 7208 §4.6.4).",
		Fix:     "Replace the mx term with ip4:/ip6: ranges, or point it at a domain with at most 10 MX names.",
	},
	"spf.loop": {
		Meaning: "An `include:` or `redirect=` chain comes back to a domain already being evaluated: permerror.",
		Fix:     "Remove the include: or redirect= that leads back to a domain already in the chain.",
	},
	"spf.lookup-cost": {
		Meaning: "One term costs two or more of the 10 DNS lookups (an include with includes of its own, or an `mx`).",
	},
	"spf.family-v4": {
		Meaning: "An `a` or `mx` term has no IPv4 address: IPv4 senders never match it and each evaluation spends a void lookup.",
	},
	"spf.family-v6": {
		Meaning: "An `a` or `mx` term has no IPv6 address: IPv6 senders never match it.",
	},
	"spf.exp-broken": {
		Meaning: "The record's `exp=` names no single parsable TXT record, so receivers use their default explanation (RFC 7208 §6.2).",
	},

	"dkim.sign-simulation-failed": {
		Meaning: "Signing the sample with `--dkim-key` failed, so the key could not be tested.",
		Fix:     "Check the private key file given to --dkim-key (PEM RSA or Ed25519) and the --dkim-domain and --dkim-selector.",
	},
	"dkim.unreadable": {
		Meaning: "The message could not be read for DKIM verification.",
		Fix:     "Check that the file is a complete RFC 5322 message: headers, a blank line, the body.",
	},
	"dkim.unsigned": {
		Meaning: "The message carries no DKIM-Signature (normal for a template the ESP signs later).",
	},
	"dkim.from-unsigned-instance": {
		Meaning: "The message has more From fields than the signature signs: the topmost may have been added after signing.",
	},
	"dkim.key-strict-identifier": {
		Meaning: "The key has `t=s` but `i=` is a subdomain of `d=` (RFC 6376 §3.6.1); strict receivers fail the signature.",
	},
	"dkim.signed-in-future": {
		Meaning: "The signature's `t=` is after the evaluation time: a signer clock ahead, or `--now` before sending.",
	},
	"dkim.key-1024": {
		Meaning: "The signing key is a 1024-bit RSA key: it passes, but 2048 bits is recommended (RFC 8301 §3.2).",
		Fix:     "Generate a 2048-bit RSA key, publish it under a new selector and sign with it.",
	},
	"dkim.body-length": {
		Meaning: "The signature uses `l=`: only part of the body is signed, and some receivers refuse such signatures.",
		Fix:     "Sign without l=: the whole body.",
	},
	"dkim.testing-mode": {
		Meaning: "The key record has `t=y`: receivers may treat the message as unsigned (RFC 6376 §3.6.1).",
		Fix:     "Remove t=y from the key record once signing works.",
	},
	"dkim.from-not-oversigned": {
		Meaning: "From is listed once in `h=`: a second From header could be added without breaking the signature.",
		Fix:     "List From twice in h= (oversigning), so that no From can be added after signing.",
	},
	"dkim.header-unsigned": {
		Meaning: "Important header fields (Subject, Date, To…) are not signed.",
	},
	"dkim.expiry-before-timestamp": {
		Meaning: "The signature's `x=` is before its `t=`.",
	},
	"dkim.ed25519-only": {
		Meaning: "Only ed25519 signatures: receivers that verify only RSA see no valid signature.",
	},
	"dkim.lf-line-endings": {
		Meaning: "The file uses LF line endings; it was verified as CRLF, as it would be sent.",
	},
	"dkim.key-file-readable": {
		Meaning: "The private key file given to `--dkim-key` is readable by group or others.",
		Fix:     "Make the private key file readable by its owner only (chmod 600).",
	},
	"dkim.key-mismatch": {
		Meaning: "The published public key is not the one matching the private key: the ESP's signatures will fail.",
		Fix:     "Publish the public key of the private key the ESP signs with at the selector, or have the ESP sign with the key that is published.",
	},
	"dkim.signature-syntax": {
		Meaning: "The DKIM-Signature tag list is malformed.",
		Fix:     "Have the signer write a well-formed DKIM-Signature (tag=value; pairs); this is a bug or a damaged header.",
	},
	"dkim.signature-version": {
		Meaning: "The DKIM-Signature `v=` is absent or not 1.",
		Fix:     "Have the signer write v=1 in the DKIM-Signature.",
	},
	"dkim.missing-tag": {
		Meaning: "The DKIM-Signature lacks a required tag (RFC 6376 §3.5).",
		Fix:     "Have the signer add the missing tag (v, a, b, bh, d, h, s are required).",
	},
	"dkim.unknown-algorithm": {
		Meaning: "The signature's `a=` or `c=` is not known.",
		Fix:     "Sign with a=rsa-sha256 (or ed25519-sha256 beside it) and c=relaxed/relaxed.",
	},
	"dkim.from-not-signed": {
		Meaning: "The signature's `h=` does not include From (RFC 6376 §5.4).",
		Fix:     "Have the signer list From in h= (twice, to also guard against an added From).",
	},
	"dkim.identifier-outside": {
		Meaning: "The signature's `i=` is not in the `d=` domain.",
		Fix:     "Make i= the d= domain or an address or subdomain within it, or leave i= out.",
	},
	"dkim.tag-value": {
		Meaning: "A tag value (number, base64, domain) is malformed.",
		Fix:     "Have the signer correct the tag the detail names; the signature is damaged or the signer is faulty.",
	},
	"dkim.expired": {
		Meaning: "The signature's `x=` is before the evaluation time.",
		Fix:     "Sign closer to sending, or use a longer x= expiry (or none).",
	},
	"dkim.key-not-found": {
		Meaning: "No key record at `selector._domainkey.domain` (NXDOMAIN or no TXT).",
		Fix:     "Publish the key record at selector._domainkey.domain (often a CNAME to the ESP's record), or sign with a selector that is published.",
	},
	"dkim.key-temporary": {
		Meaning: "Fetching the key record failed temporarily.",
		Fix:     "Retry; if the failure persists, check that the domain's name servers answer for the key record.",
	},
	"dkim.key-multiple": {
		Meaning: "Several TXT records at the key name.",
		Fix:     "Keep one TXT record at the key name and delete the others.",
	},
	"dkim.key-revoked": {
		Meaning: "The key record has an empty `p=`: the key is revoked.",
		Fix:     "Sign with a current selector, or publish a key again at this one.",
	},
	"dkim.key-syntax": {
		Meaning: "The key record cannot be used (bad syntax or key data).",
		Fix:     "Publish the key record again as the signer gives it: v=DKIM1; k=rsa; p= followed by the base64 public key, without line breaks inside p=.",
	},
	"dkim.key-too-short": {
		Meaning: "The RSA key is shorter than 1024 bits (RFC 8301).",
		Fix:     "Generate a 2048-bit RSA key, publish it under a new selector and sign with it.",
	},
	"dkim.key-hash": {
		Meaning: "The key's `h=` does not allow the signature's hash algorithm.",
		Fix:     "Remove h= from the key record, or list the hash the signer uses (sha256).",
	},
	"dkim.key-type": {
		Meaning: "The key's `k=` does not match the signature's algorithm.",
		Fix:     "Publish the key with the k= of the signing algorithm (k=rsa for rsa-sha256, k=ed25519 for ed25519-sha256).",
	},
	"dkim.key-service": {
		Meaning: "The key's `s=` does not include email.",
		Fix:     "Remove s= from the key record, or set it to * or email.",
	},
	"dkim.rsa-sha1": {
		Meaning: "The signature uses rsa-sha1, refused since RFC 8301.",
		Fix:     "Sign with rsa-sha256.",
	},
	"dkim.body-hash-mismatch": {
		Meaning: "The body hash does not match: the body changed after signing.",
		Fix:     "Sign after the last change to the body (footers, link tracking, line endings), or stop the change after signing.",
	},
	"dkim.signature-mismatch": {
		Meaning: "The signature does not verify: a signed header changed, or another key signed.",
		Fix:     "Sign after the last change to the signed header fields, and check that the published key belongs to the signing key.",
	},
	"dkim.header-too-large": {
		Meaning: "The header section exceeds the size preflight verifies.",
		Fix:     "Shorten the header section: it is far larger than real mail needs.",
	},
	"dkim.too-many-signatures": {
		Meaning: "More DKIM signatures than preflight evaluates (16): the rest caused no DNS lookup and count for nothing, even an aligned one. One finding per message.",
		Fix:     "Sign with one or two signatures; more than preflight verifies is itself suspicious.",
	},
	"dkim.verifier-disagreement": {
		Meaning: "Two DKIM verifiers disagree on a signature; the result is not reliable.",
		Fix:     "Check the signature with the receiver's own tools; report the message to preflight's maintainers.",
	},

	"receiver.quarantine": {
		Meaning: "The receiver accepts the message, then delivers it to spam (DMARC quarantine).",
	},
	"receiver.pct-probability": {
		Meaning: "Under `pct=` below 100 the rejection is probabilistic: some messages are rejected, some not.",
	},
	"receiver.dkim-not-counted": {
		Meaning: "A DKIM signature passes, but the receiver does not count it for DMARC (key too short, `t=y`, or an algorithm it does not verify, such as Ed25519 at Gmail).",
	},
}
