// Second step of README "Deploy", after the code is published: subscribe ae-inbox BlobCreated events to the blob
// trigger. The blob extension's system key is read here (listKeys on the app's host), so nobody copies it by hand, the
// main template is not deployed again, and no secret is touched.
targetScope = 'resourceGroup'

import { names, deadLetterContainer } from 'names.bicep'

@description('Short name, as given to main.bicep.')
@minLength(3)
@maxLength(11)
param name string

@description('Environment suffix, as given to main.bicep.')
@maxLength(5)
param environment string

@description('The Key Vault suffix given to main.bicep, if any (it does not change the names used here).')
param keyVaultSuffix string = ''

var resourceNames = names(name, environment, resourceGroup().id, keyVaultSuffix)

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: resourceNames.functionApp
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: resourceNames.storage
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: resourceNames.eventGridTopic
}

resource inbox 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'ae-inbox-to-ingest'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.IngestAdverseEventExport&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/ae-inbox/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // An event that runs out of attempts is kept, written with the topic's own identity; ReconcileInbox ingests its
    // file either way.
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: account.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

// Coder decisions dropped as files where no CLI runs (README "Queries, not drops") reach their own blob trigger.
resource codingDecisions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'coding-decisions-to-apply'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.ApplyCodingDecisions&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/coding-decisions/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // A coder's decisions file: an event that runs out of attempts is kept beside the inbox's; the coder drops the file
    // again (decisions already in force are recorded once).
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: account.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

output subscriptionName string = inbox.name
output codingDecisionsSubscriptionName string = codingDecisions.name
