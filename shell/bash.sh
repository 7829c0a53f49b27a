# devenv shell integration for bash 4.4+: completion, and DEVENV_NAME,
# DEVENV_STATUS, DEVENV_SSH_PORT and DEVENV_PROMPT kept current for the
# directory you stand in. Load it from ~/.bashrc with
#   eval "$(devenv init bash)"
# Loading it twice is harmless. It prints nothing, keeps $?, and leaves PS1
# alone{{if .Prompt}} except for the segment in front of it (--prompt){{end}}.

# Completion: the binary answers from COMP_LINE and COMP_POINT, one
# candidate a line, quoted for bash (which inserts COMPREPLY as it is); this
# keeps those that extend the word being typed (a word with quotes in it the
# binary has matched already: unquoted).
__devenv_complete() {
  local word=${COMP_LINE:0:COMP_POINT} candidate
  word=${word##*[[:space:]=:]}
  COMPREPLY=()
  while IFS= read -r candidate; do
    [[ -n $candidate && ($candidate == "$word"* || $word == *[\'\"]*) ]] && COMPREPLY+=("$candidate")
  done < <(COMP_LINE=$COMP_LINE COMP_POINT=$COMP_POINT DEVENV_COMPLETE_SHELL=bash {{q .Bin}} 2>/dev/null)
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then
    compopt -o nospace
  fi
  return 0
}
complete -F __devenv_complete {{join .Names " "}}

# The prompt hook. A prompt in the same directory as the last answer, while
# that answer is fresh, runs nothing. After a cd, `devenv prompt` answers
# from the state it left in __devenv_state when that is recent enough; when
# the answer expired or a devenv command ran, it asks the engine (for at
# most 100 ms).
__devenv_hook() {
  local status=$? age=$((SECONDS - ${__devenv_at:-0}))
  ((age >= 0 && age < ${__devenv_ttl:-0})) || __devenv_force=1
  if [[ $PWD != "${__devenv_dir-}" || -n ${__devenv_force-} ]]; then
    __devenv_refresh
  fi
  return $status
}

__devenv_refresh() {
  local answer
  __devenv_dir=$PWD __devenv_at=$SECONDS __devenv_ttl=3
  if [[ -x {{q .Bin}} ]] &&
    answer=$({{q .Bin}} prompt --shell bash --state "${__devenv_state-}" ${__devenv_force:+--refresh} 2>/dev/null); then
    eval "$answer"
  fi
  __devenv_force=
}

# A devenv command may start or stop the environment here: the prompt after
# it asks again. Commands already defined as functions are left alone.
for __devenv_name in {{join .Names " "}}; do
  if [[ " ${__devenv_wrapped-} " == *" $__devenv_name "* ]] ||
    { ! declare -F "$__devenv_name" >/dev/null && type -P "$__devenv_name" >/dev/null; }; then
    eval "function $__devenv_name { __devenv_force=1; command $__devenv_name \"\$@\"; }"
    [[ " ${__devenv_wrapped-} " == *" $__devenv_name "* ]] || __devenv_wrapped+=" $__devenv_name"
  fi
done
unset __devenv_name
{{- if .Prompt}}

# --prompt: the segment in front of PS1, redone at each prompt after every
# other prompt command has run.
__devenv_ps1() {
  local status=$?
  PS1=${PS1#"${__devenv_segment-}"}
  __devenv_segment=${DEVENV_PROMPT:+$DEVENV_PROMPT }
  PS1=$__devenv_segment$PS1
  return $status
}
{{- end}}

# PROMPT_COMMAND may be a string or (bash 5.1+) an array. The hook goes
# first, so that other prompt commands see the variables current.
if [[ ${PROMPT_COMMAND+${PROMPT_COMMAND@a}} == *a* ]]; then
  [[ ${PROMPT_COMMAND[*]} == *__devenv_hook* ]] ||
    PROMPT_COMMAND=(__devenv_hook "${PROMPT_COMMAND[@]}")
{{- if .Prompt}}
  [[ ${PROMPT_COMMAND[*]} == *__devenv_ps1* ]] ||
    PROMPT_COMMAND+=(__devenv_ps1)
{{- end}}
else
  [[ ${PROMPT_COMMAND-} == *__devenv_hook* ]] ||
    PROMPT_COMMAND=__devenv_hook${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}
{{- if .Prompt}}
  [[ $PROMPT_COMMAND == *__devenv_ps1* ]] ||
    PROMPT_COMMAND+=$'\n'__devenv_ps1
{{- end}}
fi
