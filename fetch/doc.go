// Package fetch downloads the files of a crawl over HTTP and HTTPS, for
// budgetpdf run's URL inputs (a URL on the command line, or a crawl
// manifest's url column). It uses net/http alone.
//
// Get downloads one URL into a file of a directory, under a temporary
// name renamed when the body is complete, so that the file is either whole
// or absent. Each download is bounded and checked:
//
//   - Options.Timeout bounds each attempt, from the request to the last
//     byte of the body (budgetpdf's -fetch-timeout); an attempt over it is
//     not tried again (a slow server stays slow).
//   - Options.MaxSize bounds the body (budgetpdf's -max-size): a
//     Content-Length over it is refused before the body is read, a body
//     that grows over it is cut and refused.
//   - An answer 5xx (a server busy or failing) or a connection reset or
//     cut short is tried again, up to Options.Attempts requests in all,
//     waiting Options.Backoff before the second and twice as long before
//     each next (exponential backoff).
//   - Prior holds what a dataset already has from the URL: its ETag and
//     Last-Modified go out as If-None-Match and If-Modified-Since, and an
//     answer 304 Not Modified downloads nothing (Result.NotModified).
//   - Redirects are followed (up to net/http's 10); Result.FinalURL is the
//     URL the answer came from.
//   - The body must be a PDF: "%PDF-" within its first 1,024 bytes, as PDF
//     readers require of a file's header. Government sites answer a
//     missing file with an HTML page and status 200: that is ErrNotPDF,
//     "the server sent an HTML page, not a PDF".
//
// Every error names the URL ("url https://...: 404 Not Found") and is one
// line; the sentinels of errors.go tell them apart.
package fetch
