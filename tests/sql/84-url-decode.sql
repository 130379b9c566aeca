-- iam_url_decode: policy documents as the IAM API returns them (percent-encoded, RFC 3986).
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT iam_url_decode('%7B%22Version%22%3A%222012-10-17%22%7D'), iam_url_decode('a+b%20c'), iam_url_decode(''), iam_url_decode(NULL);
SELECT iam_url_decode('%2541'), iam_url_decode('caf%C3%A9'), iam_url_decode('%e2%82%ac');
SELECT iam_allows(iam_url_decode('%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%7D'), 's3:GetObject', 'arn:aws:s3:::b/k');
SELECT iam_url_decode('%7B%22a%22%3A%2');
SELECT iam_url_decode('100%');
SELECT iam_url_decode('%zz');
SELECT iam_url_decode('caf%C3');
SELECT iam_url_decode('%ED%A0%80');
SELECT iam_url_decode(X'7B7D');
SELECT iam_url_decode(42);
-- iam_url_decode_error: the reason as a value, to list every bad row without a failing query
SELECT iam_url_decode_error('%7B%7D'), iam_url_decode_error(NULL), iam_url_decode_error('100%'), iam_url_decode_error('caf%C3');
SELECT iam_url_decode_error(X'25');
SELECT typeof(iam_url_decode('x')), length(iam_url_decode('%E3%81%82')), hex(iam_url_decode('%00'));
