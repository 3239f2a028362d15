#!/usr/bin/env python3
"""Check that the `glass ...` commands the docs show exist, with their flags.

check-doc-commands.py [--glass PATH] FILE.md...

In every fenced code block and every inline code span of each FILE, a
`glass` command (the word `glass`, `build/bin/glass` or `/glass/bin/glass`
where a command starts: at the start of a line or after a shell prompt,
`;`, `|`, `&&`, `||`, `&`, `(`, `sudo`, `ip netns exec NS`, `vm/run ... --`)
is followed down its subcommands (`glass lab slow-reader`, `glass trace
events`) as `glass ... --help` lists them, and each option it is given
(`--rcvbuf`, `-o`, clusters such as `-tmi`, `[-w SECONDS]` in a synopsis) must
be one that `glass SUB... --help` lists. A word after `glass` that is not a
subcommand fails too, unless it is program output (`glass: ...`,
`glass perf: ...`). Placeholders in capitals (`glass SUB`) are skipped.

Prints one line per problem (FILE:LINE: what) and exits 1 if there was any.
"""
import argparse
import functools
import re
import shlex
import subprocess
import sys

PROMPT = re.compile(r'^\s*(?:[#$]|glass:[^#\s]*#)\s+')
SEPARATORS = {';', '|', '||', '&&', '&', '(', ')', '{', '}', '$(', '`'}
GLASS = {'glass', 'build/bin/glass', '/glass/bin/glass', './build/bin/glass'}


@functools.lru_cache(maxsize=None)
def help_of(glass, chain):
    """(subcommands, options) that `glass CHAIN --help` lists."""
    out = subprocess.run([glass, *chain, '--help'], capture_output=True, text=True,
                         check=False).stdout
    subs, opts, section = set(), set(), ''
    for line in out.splitlines():
        if re.match(r'^\S.*:$', line):
            section = line
            continue
        if section.startswith('Subcommands'):
            m = re.match(r'^  (\S+)', line)
            if m:
                subs.add(m.group(1))
        elif section.startswith('Options'):
            m = re.match(r'^  (-\S+)', line)
            if m:
                for name in m.group(1).split(','):
                    name = re.sub(r'^(--?)!?', r'\1', name.split('{')[0].split(':')[0])
                    opts.add(name)
    return frozenset(subs), frozenset(opts)


def words_of(line):
    """Shell words of a line, without its comment; separators split out."""
    line = PROMPT.sub('', line)
    lexer = shlex.shlex(line, posix=True, punctuation_chars=';&|()')
    lexer.whitespace_split = True
    lexer.commenters = '#'
    try:
        return list(lexer)
    except ValueError:  # an unbalanced quote: prose, not a command
        return line.split()


def commands_in(line):
    """Yield (words after it, it began the line) for each `glass` at a
    command position."""
    words = words_of(line)
    start = True
    for i, w in enumerate(words):
        if w in SEPARATORS or w == '--':
            start = True
            continue
        if start and w in ('sudo', 'exec', 'time', 'env'):
            continue
        if start and re.match(r'^[A-Z_]+=', w):
            continue
        if w == 'exec' and i >= 2 and words[i - 2] == 'netns':
            start = True  # ip netns exec NS: the next word but one
            continue
        if w in GLASS and (start or (i >= 3 and words[i - 3] == 'netns')):
            yield words[i + 1:], i == 0
        start = False


def check_command(glass, args, first):
    """Problems of one `glass ARGS` (empty when it is fine). first: the
    `glass` began its line, so a word that is no subcommand is an error
    (elsewhere it may be prose: "(glass runs in the guest ...)")."""
    chain = []
    subs, opts = help_of(glass, ())
    rest = list(args)
    if rest and rest[0] == 'help':  # glass help SUB... = glass SUB... --help
        rest.pop(0)
    # The subcommand chain.
    while rest:
        w = rest[0]
        if w.startswith('-') or w in SEPARATORS:
            break
        if w.endswith(':'):  # output such as "glass perf: bulk over glass..."
            return []
        if w in subs:
            chain.append(w)
            rest.pop(0)
            subs, opts = help_of(glass, tuple(chain))
            continue
        if not re.match(r'^[a-z][a-z0-9_-]*$', w):
            return []  # a placeholder (SCENARIO, SUB, ...) or not a command word
        if subs and (chain or first):
            return ['glass %s: no subcommand %r (known: %s)' %
                    (' '.join(chain), w, ', '.join(sorted(subs)))]
        if not chain:
            return []
        break
    problems = []
    for w in rest:
        if w in SEPARATORS or w == '--':  # after --: the program glass run starts
            break
        for tok in re.split(r'[\[\]|(){}]', w):
            tok = tok.split('=')[0]
            if not tok.startswith('-') or tok in ('-', '--') or re.match(r'^-\d', tok):
                continue
            if tok.startswith('--'):
                names = [tok]
            elif len(tok) > 2 and ('-' + tok[1]) in opts and ('-' + tok[1:]) not in opts:
                names = ['-' + c for c in tok[1:]]  # a cluster: -tmi
            else:
                names = [tok]
            for n in names:
                if n not in opts and n not in ('-h', '--help'):
                    problems.append('glass %s: no option %s' % (' '.join(chain), n))
    return problems


def blocks(path):
    """(line number, text) of every code line and inline code span."""
    fenced = False
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if line.lstrip().startswith('```'):
            fenced = not fenced
            continue
        if fenced:
            yield n, line.rstrip('\n')
        else:
            for span in re.findall(r'`([^`]+)`', line):
                yield n, span


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--glass', default='build/bin/glass')
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    bad = checked = 0
    for path in a.files:
        for n, text in blocks(path):
            for args, first in commands_in(text):
                checked += 1
                for p in check_command(a.glass, args, first):
                    print('%s:%d: %s   [%s]' % (path, n, p, text.strip()))
                    bad += 1
    print('doc commands: %d glass command(s) checked in %d file(s), %d problem(s)' %
          (checked, len(a.files), bad))
    return 1 if bad else 0


sys.exit(main())
