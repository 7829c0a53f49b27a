# devenv shell integration for fish 3.5+: completion, and DEVENV_NAME,
# DEVENV_STATUS, DEVENV_SSH_PORT and DEVENV_PROMPT kept current for the
# directory you stand in. Load it from ~/.config/fish/config.fish with
#   devenv init fish | source
# Loading it twice is harmless. It prints nothing, keeps $status, and leaves
# the prompt alone{{if .Prompt}} except for the segment in front of it (--prompt){{end}}.

# Completion: the binary answers from COMP_LINE and COMP_POINT (complete/v2
# needs both), with a trailing space when the word being typed is empty.
function __devenv_complete
    set -lx COMP_LINE (commandline -cp | string collect)
    set -l word (commandline -ct)
    if test -z "$word"; and not string match -q -- '* ' "$COMP_LINE"
        set COMP_LINE "$COMP_LINE "
    end
    set -lx COMP_POINT (string length -- "$COMP_LINE")
    set -lx DEVENV_COMPLETE_SHELL fish
    # The binary predicts the value of --flag=value alone; fish wants the word.
    # It quotes each candidate; fish quotes what it inserts itself.
    set -l head (string match -r -- '^-[^=]*=' "$word")
    for candidate in ({{q .Bin}} 2>/dev/null)
        test -n "$candidate"; and printf '%s\n' "$head"(string unescape -- $candidate)
    end
end
for __devenv_name in {{join .Names " "}}
    complete -c $__devenv_name -e
    complete -c $__devenv_name -f -a '(__devenv_complete)'
end
set -e __devenv_name

# The prompt hook. A prompt in the same directory as the last answer, while
# that answer is fresh, runs nothing. After a cd, `devenv prompt` answers
# from the state it left in __devenv_state when that is recent enough; when
# the answer expired or a devenv command ran, it asks the engine (for at
# most 100 ms).
set -q __devenv_dir; or set -g __devenv_dir ''
set -q __devenv_at; or set -g __devenv_at 0
set -q __devenv_ttl; or set -g __devenv_ttl 0
set -q __devenv_state; or set -g __devenv_state ''

# Seconds since the epoch without starting a process: a file's mtime plus
# its age (0 if that fails: then every prompt asks, but nothing breaks).
function __devenv_now
    math (path mtime -- $__fish_data_dir) + (path mtime --relative -- $__fish_data_dir) 2>/dev/null
    or echo 0
end

function __devenv_hook --on-event fish_prompt
    set -l last $status
    set -l now (__devenv_now)
    set -l age (math "$now - $__devenv_at")
    test $age -ge 0 -a $age -lt $__devenv_ttl; or set -g __devenv_force 1
    if test "$PWD" != "$__devenv_dir"; or set -q __devenv_force
        __devenv_refresh $now
    end
    return $last
end

function __devenv_pwd --on-variable PWD
    __devenv_hook
end

function __devenv_refresh --argument-names now
    set -g __devenv_dir $PWD
    set -g __devenv_at $now
    set -g __devenv_ttl 3
    if test -x {{q .Bin}}
        set -l refresh
        set -q __devenv_force; and set refresh --refresh
        {{q .Bin}} prompt --shell fish --state "$__devenv_state" $refresh 2>/dev/null | source
    end
    set -e __devenv_force
end

# A command line that runs devenv may start or stop the environment here:
# the prompt after it asks again.
function __devenv_preexec --on-event fish_preexec
    string match -qr -- '(^|[^[:alnum:]_-])devenv' "$argv"; and set -g __devenv_force 1
    true
end
{{- if .Prompt}}

# --prompt: the segment in front of the prompt.
if not functions -q __devenv_user_prompt; and functions -q fish_prompt
    functions -c fish_prompt __devenv_user_prompt
end
function fish_prompt
    set -q DEVENV_PROMPT; and printf '%s ' "$DEVENV_PROMPT"
    functions -q __devenv_user_prompt; and __devenv_user_prompt
end
{{- end}}
