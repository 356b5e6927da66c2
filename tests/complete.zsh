# complete.zsh: drive zsh's real completion system the way a user does,
# in a pseudo-terminal: type each LINE, press Tab, and print what zsh
# lists or inserts, one word a line, escape sequences removed.
#
#     zsh -f tests/complete.zsh COMPLETIONS-DIR LINE...
#
# Exit 3: no zsh/zpty module; 4: the shell never came up.
zmodload zsh/zpty || exit 3
setopt extendedglob
compdir=$1
shift
zpty z zsh -f -i
# Wide and tall: every match listed, none cut or paged.
zpty -w z "stty cols 400 rows 2000; PS1='%% '; fpath=($compdir \$fpath);" \
    "autoload -Uz compinit; compinit -u -D; LISTMAX=100000;" \
    "unsetopt beep automenu; print -r -- READ''Y"
# Blocking reads: the caller bounds the run with a timeout.
zpty -r z out '*READY*' || exit 4
zpty -r z out '*% ' || exit 4
for line in "$@"; do
	# Tab inserts what all matches share, a second Tab lists them all.
	zpty -w -n z "$line"$'\t'
	sleep 1
	zpty -w -n z $'\t'
	sleep 1
	# Clear the line, then wait for a marker command's output.
	zpty -w -n z $'\C-u'
	zpty -w z "print -r -- DO''NE"
	zpty -r z out '*DONE*'
	out=${out//$'\e'\[[0-9;?]#[a-zA-Z]/ }
	out=${out//[$'\r\b']/ }
	print -rl -- ${=out}
	print -r -- "-- end of $line"
done
zpty -d z
