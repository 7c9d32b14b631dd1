# Sourced by bin/quickstart: writes the environment file that points every AWS client started from
# a shell (bin/terrace, the aws CLI, an SDK) at the quick start's moto server:
#   write_aws_env FILE ENDPOINT
# uses AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION as they are set (moto accepts any
# credentials). One `export` line, each value quoted for the shell, so `source FILE` sets exactly these.

write_aws_env() {
  local file=$1 endpoint=$2
  mkdir -p "$(dirname "$file")"
  {
    echo "# Written by bin/quickstart while it runs (deleted when it stops): AWS calls go to its moto server."
    printf 'export AWS_ENDPOINT_URL=%q AWS_ACCESS_KEY_ID=%q AWS_SECRET_ACCESS_KEY=%q AWS_REGION=%q\n' \
      "$endpoint" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_REGION"
  } >"$file.tmp"
  chmod 600 "$file.tmp"
  mv "$file.tmp" "$file"
}
