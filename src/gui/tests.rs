//! wizard tests
