# bash completion for chainaudit.  The options, formats and finding
# codes are read from the program itself (--help, --list-findings), so
# this file never falls behind it.
_chainaudit()
{
	local cur prev words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		# The names follow "report format", up to the next option.
		words=$(chainaudit --help 2>/dev/null |
		    sed -n '/report format/,/--output/{/^ *[a-z]/{s/,/ /g;p;}}')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return ;;
	--explain)
		words=$(chainaudit --list-findings 2>/dev/null | cut -d' ' -f1)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "error warning info never" -- "$cur"))
		return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--starttls)
		COMPREPLY=($(compgen -W "smtp imap pop3 ftp xmpp ldap postgres none" \
		    -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		# Long options anywhere, short ones where a line starts one.
		words=$(chainaudit --help 2>/dev/null |
		    grep -oE -- '--[a-z0-9-]+|^  -[a-zA-Z]' | tr -d ' ' |
		    sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _chainaudit chainaudit
