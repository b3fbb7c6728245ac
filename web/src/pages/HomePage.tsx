import { useAuth } from '../auth/AuthContext';
import { BoardIcon, DocIcon, SparkIcon } from '../components/Icons';
import { Page } from '../components/Page';
import { Link } from '../router';

export function HomePage() {
  const { username } = useAuth();
  if (username) {
    return (
      <Page title="Home" heading={`Welcome back, ${username}`} intro={<p>Pick up where you left off.</p>}>
        <ul className="tiles">
          <li>
            <Link className="tile" to="/resumes">
              <DocIcon className="tile-icon" />
              <span className="tile-title">Resumes</span>
              <span className="tile-text">Edit, print and download your resumes.</span>
            </Link>
          </li>
          <li>
            <Link className="tile" to="/generate">
              <SparkIcon className="tile-icon" />
              <span className="tile-title">Generate</span>
              <span className="tile-text">Turn a few notes about your experience into a first draft.</span>
            </Link>
          </li>
          <li>
            <Link className="tile" to="/tracker">
              <BoardIcon className="tile-icon" />
              <span className="tile-title">Tracker</span>
              <span className="tile-text">Keep every application and its next step in one place.</span>
            </Link>
          </li>
        </ul>
      </Page>
    );
  }
  return (
    <Page
      title="Resumes that get read"
      heading="Resumes that get read, applications you can keep track of"
      intro={
        <p>
          Describe your experience in your own words and ResuMate drafts a clean, one-page, ATS-friendly
          resume. Polish it in a live Markdown editor, print it to PDF, and follow each application from
          “Applied” to “Offer”.
        </p>
      }
    >
      <p className="row">
        <Link className="btn btn-primary btn-large" to="/generate">
          <SparkIcon /> Generate a resume
        </Link>
        <Link className="btn btn-large" to="/register">
          Create a free account
        </Link>
      </p>
      <ul className="features">
        <li>
          <h2>Write with a live preview</h2>
          <p>Markdown on one side, your formatted resume on the other. Download it or save it as a PDF.</p>
        </li>
        <li>
          <h2>Start from a draft</h2>
          <p>Pick a model, describe your background, and watch your resume being written.</p>
        </li>
        <li>
          <h2>Track your search</h2>
          <p>
            A board with a column per stage. <Link to="/tracker">See the example board</Link>.
          </p>
        </li>
      </ul>
    </Page>
  );
}
