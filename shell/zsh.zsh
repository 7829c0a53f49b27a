# devenv shell integration for zsh: completion, and DEVENV_NAME,
# DEVENV_STATUS, DEVENV_SSH_PORT and DEVENV_PROMPT kept current for the
# directory you stand in. Load it from ~/.zshrc with
#   eval "$(devenv init zsh)"
# Loading it twice is harmless. It prints nothing, keeps $?, and leaves the
# prompt alone{{if .Prompt}} except for the segment in front of it (--prompt){{end}}.

typeset -g __devenv_dir __devenv_at __devenv_ttl __devenv_force __devenv_state

# Completion: a native completion function that hands the words before the
# cursor to the binary in COMP_LINE and COMP_POINT (no bashcompinit needed),
# quoted as typed (inside quotes, PREFIX is the bare text: quote it). The
# binary quotes each candidate; ${(Q)…} reads it back and compadd quotes it
# again for where the cursor is. A leading ~ the binary left bare is kept
# out of the quoting, so that it still expands.
__devenv_complete() {
  emulate -L zsh
  local cur=$PREFIX candidate
  [[ -n $compstate[quote] ]] && cur=${(q)PREFIX}
  local line="${(j: :)words[1,CURRENT-1]} $cur"
  local -a answer plain dirs home
  answer=("${(@f)$(COMP_LINE=$line COMP_POINT=${#line} DEVENV_COMPLETE_SHELL=zsh {{q .Bin}} 2>/dev/null)}")
  for candidate in $answer; do
    case $candidate in
      '') ;;
      '~'*) home+=("${(Q)${candidate#\~}}") ;;
      */) dirs+=("${(Q)candidate}") ;;
      *) plain+=("${(Q)candidate}") ;;
    esac
  done
  [[ $PREFIX == -*=* ]] && compset -P '*='
  (( $#plain )) && compadd -- $plain
  (( $#dirs )) && compadd -S '' -- $dirs
  (( $#home )) && compset -P '\~' && compadd -S '' -- $home
  return 0
}

# compdef exists once compinit has run; until then, try again at each prompt.
__devenv_compdef() {
  local ret=$?
  if (( $+functions[compdef] )); then
    compdef __devenv_complete {{join .Names " "}}
    precmd_functions=(${precmd_functions:#__devenv_compdef})
  fi
  return ret
}

# The prompt hook. A prompt in the same directory as the last answer, while
# that answer is fresh, runs nothing. After a cd, `devenv prompt` answers
# from the state it left in __devenv_state when that is recent enough; when
# the answer expired or a devenv command ran, it asks the engine (for at
# most 100 ms).
__devenv_hook() {
  local ret=$?
  emulate -L zsh
  local age=$(( SECONDS - ${__devenv_at:-0} ))
  (( age >= 0 && age < ${__devenv_ttl:-0} )) || __devenv_force=1
  if [[ $PWD != "$__devenv_dir" || -n $__devenv_force ]]; then
    __devenv_refresh
  fi
  return ret
}

__devenv_refresh() {
  emulate -L zsh
  local answer
  __devenv_dir=$PWD __devenv_at=$SECONDS __devenv_ttl=3
  if [[ -x {{q .Bin}} ]] &&
    answer=$({{q .Bin}} prompt --shell zsh --state "$__devenv_state" ${__devenv_force:+--refresh} 2>/dev/null); then
    eval "$answer"
  fi
  __devenv_force=
}

# A command line that runs devenv may start or stop the environment here:
# the prompt after it asks again.
__devenv_preexec() {
  emulate -L zsh
  [[ $3 =~ '(^|[^[:alnum:]_-])devenv' ]] && __devenv_force=1
  return 0
}
{{- if .Prompt}}

# --prompt: the segment in front of PROMPT, redone at each prompt after every
# other precmd function has run.
__devenv_ps1() {
  local ret=$?
  emulate -L zsh
  PROMPT=${PROMPT#"$__devenv_segment"}
  __devenv_segment=${DEVENV_PROMPT:+${DEVENV_PROMPT//\%/%%} }
  PROMPT=$__devenv_segment$PROMPT
  return ret
}
typeset -g __devenv_segment
{{- end}}

typeset -ga precmd_functions chpwd_functions preexec_functions
(( ${precmd_functions[(Ie)__devenv_hook]} )) || precmd_functions=(__devenv_hook $precmd_functions)
(( ${chpwd_functions[(Ie)__devenv_hook]} )) || chpwd_functions+=(__devenv_hook)
(( ${preexec_functions[(Ie)__devenv_preexec]} )) || preexec_functions+=(__devenv_preexec)
(( ${precmd_functions[(Ie)__devenv_compdef]} )) || precmd_functions+=(__devenv_compdef)
{{- if .Prompt}}
(( ${precmd_functions[(Ie)__devenv_ps1]} )) || precmd_functions+=(__devenv_ps1)
(( ${chpwd_functions[(Ie)__devenv_ps1]} )) || chpwd_functions+=(__devenv_ps1)
{{- end}}
__devenv_compdef
