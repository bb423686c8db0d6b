// Step 3 of README "Deploy": the Event Grid subscription into the blob trigger, after the code is published.
using 'eventgrid.bicep'

param name = 'camsafety'
param environment = 'prod'
