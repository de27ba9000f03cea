package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"preflight/internal/bounce"
)

// bounceInputs yields the messages of bounce's arguments one at a time, in
// order: a file is one message, or an mbox of several (recognised by its
// first line, a From_ line); a folder is every file in it, recursively, in
// lexical order, a Maildir (a folder with cur/ or new/) the messages in
// cur/ and new/; "-" is standard input, itself one message or an mbox.
// Nothing is read before it is asked for, and a message is streamed: memory
// does not grow with the mailbox.
type bounceInputs struct {
	stdin io.Reader
	args  []string
	// files are the paths of the argument being expanded, not yet opened.
	files []string
	// The mbox being read, if any.
	mbox     *bounce.Mbox
	mboxName string
	mboxN    int
	closer   io.Closer
	// opened is the current single-message file, closed on the next call.
	opened io.Closer
	// expanded says whether some argument was a folder or an mbox, or
	// there were several: then the run is a mailbox run even if it finds
	// only one message.
	expanded bool
}

// bounceInput is one message: its name and a reader, or why it cannot be
// read.
type bounceInput struct {
	source string
	r      io.Reader
	err    error
	// size is the file's size when known (a regular file), else -1.
	size int64
}

func newBounceInputs(stdin io.Reader, args []string) *bounceInputs {
	return &bounceInputs{stdin: stdin, args: args, expanded: len(args) > 1}
}

// next returns the next message; ok is false after the last.
func (in *bounceInputs) next() (m bounceInput, ok bool) {
	if in.opened != nil {
		in.opened.Close()
		in.opened = nil
	}
	for {
		if in.mbox != nil {
			r, err := in.mbox.Next()
			switch {
			case err == nil:
				in.mboxN++
				return bounceInput{source: fmt.Sprintf("%s#%d", in.mboxName, in.mboxN), r: r, size: -1}, true
			case err != io.EOF:
				in.mboxN++
				m := bounceInput{source: fmt.Sprintf("%s#%d", in.mboxName, in.mboxN), err: err}
				in.closeMbox()
				return m, true
			}
			in.closeMbox()
		}
		if len(in.files) > 0 {
			p := in.files[0]
			in.files = in.files[1:]
			if m, ok := in.openFile(p); ok {
				return m, true
			}
			continue
		}
		if len(in.args) == 0 {
			return bounceInput{}, false
		}
		a := in.args[0]
		in.args = in.args[1:]
		if a == "-" {
			if m, ok := in.openStream("stdin", in.stdin, nil, -1); ok {
				return m, true
			}
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = &fs.PathError{Op: "open", Path: a, Err: pe.Err} // as opening it would say
			}
			return bounceInput{source: a, err: err}, true
		}
		if !st.IsDir() {
			in.files = []string{a}
			continue
		}
		in.expanded = true
		files, err := mailboxFiles(a)
		if err != nil {
			return bounceInput{source: a, err: err}, true
		}
		if len(files) == 0 {
			return bounceInput{source: a, err: errors.New("the folder holds no files")}, true
		}
		in.files = files
	}
}

// openFile opens one file: a single message, or an mbox whose messages
// come next. A regular file that is not an mbox and is over the bounce
// limit is refused from its size.
func (in *bounceInputs) openFile(p string) (bounceInput, bool) {
	f, err := os.Open(p)
	if err != nil {
		return bounceInput{source: p, err: err}, true
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return in.openStream(p, f, f, size)
}

// openStream starts reading r (closed with c, if any): an mbox becomes the
// current mailbox (ok false: its first message comes from next), anything
// else is one message.
func (in *bounceInputs) openStream(name string, r io.Reader, c io.Closer, size int64) (bounceInput, bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(1024)
	if bounce.IsMbox(head) {
		in.expanded = true
		in.mbox, in.mboxName, in.mboxN, in.closer = bounce.NewMbox(br), name, 0, c
		return bounceInput{}, false
	}
	in.opened = c
	if size > bounce.MaxInput {
		return bounceInput{source: name, err: bounce.ErrTooLarge, size: size}, true
	}
	return bounceInput{source: name, r: br, size: size}, true
}

func (in *bounceInputs) closeMbox() {
	if in.closer != nil {
		in.closer.Close()
	}
	in.mbox, in.closer = nil, nil
}

// close releases what is open.
func (in *bounceInputs) close() {
	if in.opened != nil {
		in.opened.Close()
		in.opened = nil
	}
	in.closeMbox()
}

// mailboxFiles lists the message files of a folder, in lexical order: in a
// Maildir (a folder with cur/ or new/, Maildir++ subfolders included) the
// files of cur/ and new/ (tmp/ holds messages still being written); in any
// other folder every regular file (or link to one), recursively. Hidden files (.DS_Store,
// a Maildir's dovecot-uidlist is not hidden but is not a message either)
// are skipped, and so are files that name themselves as not messages.
func mailboxFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if name == "tmp" && isMaildir(filepath.Dir(p)) {
				return filepath.SkipDir
			}
			if strings.HasPrefix(name, ".") && !isMaildir(p) {
				return filepath.SkipDir // .git and the like; Maildir++ folders (.Sent) are read
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || notMessageFile(name) {
			return nil
		}
		if !d.Type().IsRegular() {
			// A link to a message file is read; a link to a folder is not
			// followed (it could loop), nor is anything else.
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		if isMaildir(filepath.Dir(p)) {
			return nil // a Maildir's own files (dovecot-uidlist, maildirsize, …), beside cur/ and new/
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// isMaildir reports whether dir is a Maildir: it has a cur or new folder.
func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// notMessageFile names the bookkeeping files mail tools leave in folders.
func notMessageFile(name string) bool {
	switch strings.ToLower(name) {
	case "dovecot-uidlist", "dovecot-keywords", "dovecot.index", "dovecot.index.log", "dovecot.index.cache",
		"maildirsize", "maildirfolder", "subscriptions", "courierimapuiddb", "courierimapkeywords", "readme", "readme.md", "license":
		return true
	}
	return false
}
