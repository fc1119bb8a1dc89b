package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/budgetpdf/budgetpdf/fetch"
	"github.com/budgetpdf/budgetpdf/schema"
)

// fetchers is how many URLs a batch downloads at once: few, so that a
// crawl does not weigh on a government site.
const fetchers = 4

// download fetches the URL jobs (those without path, id or error) into
// the run's download directory, fetchers at a time, each with the
// validators of what the dataset holds from its URL (If-None-Match,
// If-Modified-Since):
//
//   - a file downloaded becomes the job's path, and its download's facts
//     (final URL, time, ETag, Last-Modified) its crawl's;
//   - a URL the server says is not modified (304) takes the id of the
//     document the dataset holds from it: nothing downloaded, nothing read
//     (the batch's claim finds it committed);
//   - a download that fails fails the job, with the error naming the URL
//     (after the manifest's line where it was listed).
//
// It counts the downloads in sum. It returns ctx's cause when ctx is done,
// and an error when the dataset cannot be read or the directory made.
func (ds *dataset) download(ctx context.Context, jobs []job, o *RunOptions, sum *Summary) error {
	var urls []int
	for i, j := range jobs {
		if j.pinned { // (a URL with no path, id or error: newJobs pins only those)
			urls = append(urls, i)
		}
	}
	if len(urls) == 0 {
		return nil
	}
	priors, err := schema.FetchedURLs(ds.run.Dir())
	if err != nil {
		return err
	}
	dir, err := ds.run.DownloadDir()
	if err != nil {
		return err
	}
	fo := o.fetchOptions()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(fetchers, len(urls)) {
		wg.Go(func() {
			for i := range next {
				downloadOne(ctx, &jobs[i], dir, fmt.Sprintf("%d.pdf", i), priors[jobs[i].file], fo)
			}
		})
	}
	for _, i := range urls {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	for _, i := range urls {
		sum.countDownload(&jobs[i])
	}
	return nil
}

// downloadOne fetches the URL of j into dir/name, asking whether what the
// dataset holds from it (prior) changed.
func downloadOne(ctx context.Context, j *job, dir, name string, prior schema.Fetched, fo *fetch.Options) {
	res, err := fetch.Get(ctx, j.file, dir, name, fetch.Prior{ETag: prior.ETag, LastModified: prior.LastModified}, fo)
	switch {
	case err == nil && res.NotModified && prior.ETag == "" && prior.LastModified == "":
		err = fmt.Errorf("url %s: the server answered 304 Not Modified to a request that was not conditional", j.file)
	case err == nil && res.NotModified:
		j.id, j.notModified = prior.DocumentID, true
		return
	case err == nil:
		j.path, j.size = res.Path, res.Size
		j.crawl.FinalURL, j.crawl.FetchedAt = res.FinalURL, res.FetchedAt.Truncate(time.Microsecond)
		j.crawl.ETag, j.crawl.LastModified = res.ETag, res.LastModified
		return
	}
	if j.origin != "" {
		err = fmt.Errorf("%s: %w", j.origin, err)
	}
	j.id, j.err = schema.PathID(j.file), err
}

// fetchOptions are the options of the downloads: RunOptions.Fetch, its
// MaxSize RunOptions.MaxSize unless it sets one.
func (o *RunOptions) fetchOptions() *fetch.Options {
	var fo fetch.Options
	if o.Fetch != nil {
		fo = *o.Fetch
	}
	if fo.MaxSize <= 0 {
		fo.MaxSize = o.MaxSize
	}
	return &fo
}

// countDownload counts a URL job in the summary once downloaded.
func (s *Summary) countDownload(j *job) {
	switch {
	case j.notModified:
		s.NotModified++
	case j.err != nil:
		s.DownloadsFailed++
	default:
		s.Downloaded++
		s.DownloadedBytes += j.size
	}
}
